"""Train a linear classifier on random data on the GPU (a smoke test for the environment)."""

import argparse

import torch
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=1)
args = parser.parse_args()

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = nn.Linear(32, 2).to(device)
optimizer = torch.optim.Adam(model.parameters())
x = torch.randn(1024, 32, device=device)
y = torch.randint(0, 2, (1024,), device=device)
losses = []
for _epoch in range(args.epochs):
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    losses.append(loss.detach())
print(torch.stack(losses).cpu().tolist())
