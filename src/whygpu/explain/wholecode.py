"""accmisc39 (session 39): the pasted code is the whole program that ran, so a model it never moves runs on the CPU.

``explain.placement.unplaced_model`` finds a model the pasted code creates and uses and never moves to a device; LOG430
speaks only where something beside it asks for the GPU (the inputs moved, the GPU shown found), because the move may sit
in code not shown. That doubt goes where the block is the whole program: it parses as it stands (no line blanked as a
fragment's) and starts from its imports (``from diffusers import DiffusionPipeline``), creates the model, and uses it: a
README's example run as pasted, a script shown in full. With the writer's word that the run was on the CPU
(``LogFacts.counted_unused``), the code shown is the run's placement (LOG430 reads ``LogFacts.code_whole_program``).
Hugging Face's from_pretrained builds a pipeline or model on the CPU until ``.to("cuda")`` or a device_map
(https://huggingface.co/docs/diffusers/using-diffusers/loading); so does PyTorch a module
(https://pytorch.org/docs/stable/notes/cuda.html).
"""

from __future__ import annotations

import ast
import textwrap
from typing import TYPE_CHECKING

from whygpu.explain.placement import code_blocks

if TYPE_CHECKING:
    from whygpu.explain.placement import Placement

__all__ = ["whole_program"]


def whole_program(text: str, placement: Placement) -> bool:
    """Whether the block of ``text`` that holds ``placement``'s line (1-based ``placement.number``) is a whole program: it
    parses with Python's own parser as it stands, imports at its top level, and creates the model there."""
    for start, block in code_blocks(text):
        if not start < placement.number <= start + len(block):
            continue
        try:
            tree = ast.parse(textwrap.dedent("\n".join(block)))
        except (SyntaxError, ValueError, RecursionError):
            return False
        imports = any(isinstance(node, (ast.Import, ast.ImportFrom)) for node in tree.body)
        created = any(isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == placement.name for t in node.targets)
                      for node in tree.body)
        return imports and created
    return False
