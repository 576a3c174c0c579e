"""The scorer (bench/explain_corpus.py) over the committed corpus: the figures must not fall below what was reached.

The thresholds are the figures measured when they were last raised (see the issue notes), rounded
down a little; a change that loses cases fails here and shows the confusion list.  The corpus is
a sample of real public reports: the goal is hit@1 >= 90%, listed >= 97%, negatives clean >= 95%.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import bench_scripts

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "tests" / "explain" / "corpus" / "dev"
CASES = ROOT / "tests" / "explain" / "cases.json"
HELD_OUT = tuple(ROOT / "tests" / "explain" / "corpus" / name for name in ("holdout2", "holdout3", "holdout4", "holdout5"))
# Collected in session 16 and scored once before anyone studied them (docs/explain-accuracy.md).
LATER = tuple(ROOT / "tests" / "explain" / "corpus" / name for name in ("holdout6", "holdout7", "negatives2"))
# Collected in session 17 and scored once before anyone studied them (each folder's README gives its first figures).
SESSION17 = tuple(ROOT / "tests" / "explain" / "corpus" / name for name in ("holdout8", "holdout10", "holdout11", "negatives3"))
# Sealed through session 17 and scored once on its final code (each README): the honest measure.
SEALED17 = tuple(ROOT / "tests" / "explain" / "corpus" / name for name in ("holdout9", "holdout12"))
# Sealed through session 18 and scored on its starting and its final code (docs/explain-accuracy.md, "Session 18 at a glance").
SEALED18 = tuple(ROOT / "tests" / "explain" / "corpus" / name for name in ("holdout13", "holdout14"))
SEALED19 = tuple(ROOT / "tests" / "explain" / "corpus" / name for name in ("holdout15", "holdout16"))
# Sealed through session 20 and scored on its starting and its final code (docs/explain-accuracy.md, "Session 20 at a glance").
SEALED20 = tuple(ROOT / "tests" / "explain" / "corpus" / name for name in ("holdout17", "holdout18", "holdout19"))
# Sealed through session 21 and scored on its starting and its final code (docs/explain-accuracy.md, "Session 21 at a glance").
SEALED21 = tuple(ROOT / "tests" / "explain" / "corpus" / name for name in ("holdout20", "holdout21", "holdout22"))
SEALED22 = tuple(ROOT / "tests" / "explain" / "corpus" / name for name in ("holdout23", "holdout24", "holdout25"))
SEALED23 = tuple(ROOT / "tests" / "explain" / "corpus" / f"holdout{n}" for n in range(26, 33))
SEALED24 = (*(ROOT / "tests" / "explain" / "corpus" / f"holdout{n}" for n in range(33, 36)), ROOT / "tests" / "explain" / "corpus" / "negatives8")
SEALED25 = (*(ROOT / "tests" / "explain" / "corpus" / f"holdout{n}" for n in range(36, 39)), ROOT / "tests" / "explain" / "corpus" / "negatives9")
SEALED26A = (*(ROOT / "tests" / "explain" / "corpus" / f"holdout{n}" for n in range(39, 42)), ROOT / "tests" / "explain" / "corpus" / "negatives10")
SEALED26B = (*(ROOT / "tests" / "explain" / "corpus" / f"holdout{n}" for n in range(42, 44)), ROOT / "tests" / "explain" / "corpus" / "negatives11")
SEALED27A = (*(ROOT / "tests" / "explain" / "corpus" / f"holdout{n}" for n in (44, 45, 48)), ROOT / "tests" / "explain" / "corpus" / "negatives12")
SEALED27B = (*(ROOT / "tests" / "explain" / "corpus" / f"holdout{n}" for n in (46, 47, 49, 50, 51)),
             *(ROOT / "tests" / "explain" / "corpus" / f"negatives{n}" for n in (13, 14)))
SEALED28 = (*(ROOT / "tests" / "explain" / "corpus" / f"holdout{n}" for n in range(52, 58)), ROOT / "tests" / "explain" / "corpus" / "negatives15")
SEALED29 = (*(ROOT / "tests" / "explain" / "corpus" / f"holdout{n}" for n in range(58, 67)),
            *(ROOT / "tests" / "explain" / "corpus" / f"negatives{n}" for n in (16, 17)))
SEALED30 = (*(ROOT / "tests" / "explain" / "corpus" / f"holdout{n}" for n in range(67, 73)), ROOT / "tests" / "explain" / "corpus" / "negatives18")
SEALED31 = (*(ROOT / "tests" / "explain" / "corpus" / f"holdout{n}" for n in range(73, 79)),
            *(ROOT / "tests" / "explain" / "corpus" / f"negatives{n}" for n in (19, 20)))
SEALED32 = (*(ROOT / "tests" / "explain" / "corpus" / f"holdout{n}" for n in range(79, 83)),
            *(ROOT / "tests" / "explain" / "corpus" / f"negatives{n}" for n in (21, 22)))
SEALED33 = (*(ROOT / "tests" / "explain" / "corpus" / f"holdout{n}" for n in range(83, 87)),
            *(ROOT / "tests" / "explain" / "corpus" / f"negatives{n}" for n in (23, 24)))
SEALED34 = (*(ROOT / "tests" / "explain" / "corpus" / f"holdout{n}" for n in range(87, 90)),
            ROOT / "tests" / "explain" / "corpus" / "negatives25")
SEALED35 = (*(ROOT / "tests" / "explain" / "corpus" / f"holdout{n}" for n in range(90, 93)),
            ROOT / "tests" / "explain" / "corpus" / "negatives26")
SEALED36 = (*(ROOT / "tests" / "explain" / "corpus" / f"holdout{n}" for n in range(93, 96)),
            ROOT / "tests" / "explain" / "corpus" / "negatives27")
SEALED37 = (*(ROOT / "tests" / "explain" / "corpus" / f"holdout{n}" for n in range(96, 99)),
            ROOT / "tests" / "explain" / "corpus" / "negatives28")
SEALED38 = (*(ROOT / "tests" / "explain" / "corpus" / f"holdout{n}" for n in range(99, 102)),
            ROOT / "tests" / "explain" / "corpus" / "negatives29")
SEALED39 = (*(ROOT / "tests" / "explain" / "corpus" / f"holdout{n}" for n in range(102, 105)),
            ROOT / "tests" / "explain" / "corpus" / "negatives30")
SEALED40 = (*(ROOT / "tests" / "explain" / "corpus" / f"holdout{n}" for n in range(105, 108)),
            ROOT / "tests" / "explain" / "corpus" / "negatives31")
SEALED41 = (*(ROOT / "tests" / "explain" / "corpus" / f"holdout{n}" for n in range(108, 111)),
            ROOT / "tests" / "explain" / "corpus" / "negatives32")
SEALED41B = (*(ROOT / "tests" / "explain" / "corpus" / f"holdout{n}" for n in range(111, 114)),
             ROOT / "tests" / "explain" / "corpus" / "negatives33")

# Measured on dev + cases.json: 124/139 first (89%), 130/139 in the first three (94%), 37/37 negatives
# clean (branch accsilence, session 16; was 123/129/37).
MIN_HIT1 = 0.88
MIN_HIT3 = 0.93
MIN_CLEAN = 0.95

# Measured on holdout2 + holdout3 + holdout4 (sets collected after the dev/holdout work, studied as
# populations in docs/explain-accuracy.md) and holdout5 (scored once, unseen, at c5e5171): 138/204
# first (68%), 150/204 in the first three (74%), 49/49 negatives clean; after session 16's accsilence
# branch (docs/explain-accuracy.md): 158/204 first (77%), 170/204 in the first three (83%), 49/49.
# At the end of session 17: 166/204 first (81%), 178/204 in the first three (87%), 49/49.
# At the end of session 18: 168/204 first (82%), 180/204 in the first three (88%), 49/49.
MIN_HELD_OUT_HIT1 = 0.80
MIN_HELD_OUT_HIT3 = 0.86
MIN_HELD_OUT_CLEAN = 1.0

# Measured on holdout6 (63 positives, 15 negatives), holdout7 (56, 14; sealed until the end of session 16)
# and negatives2 (55 negatives), each first scored unseen: holdout6 32/63 first, 38/63 in three, 14/15
# clean; holdout7 22/56, 29/56, 13/14; negatives2 51/55 clean. At the end of session 16 (all three
# studied): 73/119 first (61%), 87/119 in the first three (73%), 81/84 negatives clean (96%).
# At the end of session 17: 85/119 first (71%), 93/119 in the first three (78%), 81/84 clean (96%).
# At the end of session 18: 86/119 first (72%), 97/119 in the first three (82%), 81/84 clean (96%).
MIN_LATER_HIT1 = 0.70
MIN_LATER_HIT3 = 0.79
MIN_LATER_CLEAN = 0.95

# Measured on holdout8 (30 positives, 1 negative), holdout10 (60, 9), holdout11 (18, 2) and negatives3 (45
# negatives), each first scored unseen (holdout8 18/30, 21/30; holdout10 29/60, 34/60; holdout11 7/18, 8/18;
# negatives3 41/45 clean). At the end of session 17 (all four studied): 77/108 first (71%), 84/108 in the
# first three (78%), 55/57 negatives clean (96%). At the end of session 18: 79/108 (73%), 87/108 (81%), 57/57.
MIN_SESSION17_HIT1 = 0.71
MIN_SESSION17_HIT3 = 0.78
MIN_SESSION17_CLEAN = 0.94

# holdout9 (55 positives, 12 negatives) and holdout12 (50, 10), sealed until the end of session 17: 43/105
# first, 52/105 in three, 20/22 clean on the session's starting code; 48/105 (46%), 57/105 (54%), 18/22 on
# its final code; 48/105, 57/105, 20/22 after the two false-alarm classes they showed were fixed.
# Studied in session 18: 67/105 (64%), 73/105 (70%), 20/22 at its end.
MIN_SEALED17_HIT1 = 0.61
MIN_SEALED17_HIT3 = 0.67
MIN_SEALED17_CLEAN = 0.9

# holdout13 (55 positives, 12 negatives) and holdout14 (54, 12), sealed through session 18: 54/109 (50%) first,
# 68/109 (62%) in three, 22/24 clean on the session's starting code AND on its final code (8 cases' answers
# changed, none from wrong to right or back).
MIN_SEALED18_HIT1 = 0.47
MIN_SEALED18_HIT3 = 0.59
MIN_SEALED18_CLEAN = 0.9

# holdout15 + holdout16, sealed for the whole of session 19 (collected at its start, scored on the start commit
# 636ab37 and on the final code, aggregates only): 31/96 first, 37/96 in three, 19/22 negatives clean at the start;
# 33/96 (34%), 39/96 (41%), 19/22 at the end.
MIN_SEALED19_HIT1 = 0.32
MIN_SEALED19_HIT3 = 0.38
MIN_SEALED19_CLEAN = 0.8

# holdout17 + holdout18 + holdout19, sealed for the whole of session 20 (collected at its start, scored on the start
# commit ed483a1 and on the final code 53b5f60, aggregates only): 57/114 first, 68/114 in three, 24/24 negatives clean
# at the start; 59/114 (52%), 70/114 (61%), 24/24 at the end.
MIN_SEALED20_HIT1 = 0.50
MIN_SEALED20_HIT3 = 0.59
MIN_SEALED20_CLEAN = 0.95

# holdout20 + holdout21 + holdout22, sealed for the whole of session 21 (collected at its start, scored on the start
# commit 8d51a59 and on the final code fcfaa19, aggregates only): 48/100 first, 56/100 in three, 9/16 negatives clean
# at the start; 49/100, 56/100, 9/16 at the end. The negatives of these sets are hard (a blind expert: 12/16).
# Session 22 (accmsg, these sets studied since: docs/study-session21-fresh-misses.md): 56/100, 63/100, 9/16.
MIN_SEALED21_HIT1 = 0.53
MIN_SEALED21_HIT3 = 0.60
# accfirst (session 22): 15/16 clean after the log's own word that the GPU works answers the generic readings
# (docs/explain-accuracy.md, "Session 22 (branch accfirst)"); the floor keeps one case of margin.
MIN_SEALED21_CLEAN = 0.87

# negatives4 (44 negatives: the GPU was used and the report is about something else), collected in session 21
# (branch accprec) before whygpu was run on it: 38/44 clean at the branch's start (a44c30d), 37/44 at main 333ec1a,
# 40/44 (91%) after accprec's classes (docs/explain-accuracy.md, "Session 21 (branch accprec)").
NEGATIVES4 = ROOT / "tests" / "explain" / "corpus" / "negatives4"
MIN_NEGATIVES4_CLEAN = 0.88

# holdout23 + holdout24 + holdout25, sealed for the whole of session 22 (collected at its start by engineers who neither
# read nor ran whygpu, scored on the start commit 487c3c4 and on the merged code 03a935d, aggregates only): 59/117
# first, 70/117 in three, 11/13 negatives clean at the start; 58/117, 69/117, 11/13 at the end. A blind expert: 85/117,
# 109/117, 12/13 (bench/explain_ceiling/holdout23_25.jsonl). Floors: the end figures less about three cases.
MIN_SEALED22_HIT1 = 0.47
MIN_SEALED22_HIT3 = 0.56
MIN_SEALED22_CLEAN = 0.75

# negatives5 (50 negatives, collected at the start of session 22 and sealed like the sets above): 44/50 clean at the
# start (487c3c4), 43/50 at 03a935d (accapps read a JAX platform pin named as the writer's workaround), 44/50 after
# that class was fixed.
NEGATIVES5 = ROOT / "tests" / "explain" / "corpus" / "negatives5"
MIN_NEGATIVES5_CLEAN = 0.84

# holdout26 to holdout32, sealed for the whole of session 23 (collected at its start by engineers who neither read nor
# ran whygpu, scored on the start commit 5e5fedb and on the merged code 8bbc4ab, aggregates only): 27/67 first, 36/67
# in three, 4/5 negatives clean at the start and the same at the end. A blind expert: 53/67, 59/67, 4/5
# (bench/explain_ceiling/holdout26_32.jsonl). Floors: the end figures less about three cases.
MIN_SEALED23_HIT1 = 0.35
MIN_SEALED23_HIT3 = 0.49
MIN_SEALED23_CLEAN = 0.6

# negatives6 + negatives7 (38 negatives, sealed with the sets above): 31/38 clean at the start, 29/38 at the end (two
# reports of low utilisation read as GPU_UNDERUSED, which causes.md defines as "utilisation low while the process runs;
# input pipeline or CPU preprocessing bound", while the collectors' brief called such reports negatives).
# Session 24 settled that policy by causes.md: reports of low utilisation whose thread confirms the host side does not
# keep the GPU fed (input pipeline, CPU preprocessing, a workload too small per step, recompilation) are positives
# GPU_UNDERUSED: nine of these sets' (and negatives2's three, negatives3's one, negatives4's two; each set's README).
# The negatives tests score the sets' negatives only (24/29 clean here after the relabelling).
NEGATIVES67 = tuple(ROOT / "tests" / "explain" / "corpus" / name for name in ("negatives6", "negatives7"))
MIN_NEGATIVES67_CLEAN = 0.7

# holdout33 to holdout35 and negatives8, sealed for the whole of session 24 (collected at its start by engineers who neither
# read nor ran whygpu, from Chinese, other-language and English pages and threads; scored on the start commit f2dc9d5 and on
# the merged code d4515fe4, aggregates only): 21/44 first, 26/44 in three, 15/16 negatives clean at the start and the same
# at the end. A blind expert: 33/44, 40/44 (bench/explain_ceiling/holdout33_35.jsonl). Floors: the end figures less about
# three cases (one negative).
MIN_SEALED24_HIT1 = 0.40
MIN_SEALED24_HIT3 = 0.52
MIN_SEALED24_CLEAN = 0.87

# holdout36 to holdout38 and negatives9, sealed for the whole of session 25 (collected at its start by engineers who neither
# read nor ran whygpu: own machines, Windows and WSL2; containers, clusters and clouds; libraries built on the frameworks;
# negatives incl. saved run outputs; scored on the start commit 2d79aee and on the merged code, aggregates only): 27/63
# first, 35/63 in three, 16/20 negatives clean at the start; 28/63, 36/63, 16/20 at the end. Two blind experts: 51/63,
# 60/63, 14/20 (bench/explain_ceiling/holdout36_38.jsonl). Floors: the end figures less about three cases (one negative).
MIN_SEALED25_HIT1 = 0.39
MIN_SEALED25_HIT3 = 0.52
MIN_SEALED25_CLEAN = 0.75

# Session 26 ran two measurement cycles. holdout39 to holdout41 and negatives10 (batch A: the install chose the wrong build;
# 2016-2021; schedulers, launchers and environments; LLM/inference negatives) were collected blind at its start and scored on
# 4877e00: 23/61 first, 31/61 in three, 20/20 negatives clean (two blind experts 50/61 and 53/61 first,
# bench/explain_ceiling/holdout39_41.jsonl); then studied, and the second wave of branches built classes from their misses, so
# the end figures (43/61, 45/61, 20/20) are no longer a fresh measurement. Floors: the end figures less about three cases.
MIN_SEALED26A_HIT1 = 0.65
MIN_SEALED26A_HIT3 = 0.69
MIN_SEALED26A_CLEAN = 0.90

# holdout42, holdout43 and negatives11 (batch B: TensorFlow 2.10+ and JAX; vision, speech and OCR projects; TF/Keras/JAX
# negatives) stayed sealed for the whole session: 15/34 first, 22/34 in three, 13/14 negatives clean on 4877e00 and the same
# on the merged code. Two blind experts: 27/34 and 27/34 first (bench/explain_ceiling/holdout42_43.jsonl). Floors: the end
# figures less about three cases (one negative).
MIN_SEALED26B_HIT1 = 0.35
MIN_SEALED26B_HIT3 = 0.55
MIN_SEALED26B_CLEAN = 0.85

# Session 27, batch A: holdout44 (LLM stacks), holdout45 (Q&A threads), holdout48 (scientific tools), negatives12 (PyTorch
# and Hugging Face runs): 11/28 first, 13/28 in three, 7/7 clean at 20b8e010; a blind expert 20/28, 25/28, 7/7
# (bench/explain_ceiling/holdout44_48.jsonl); then studied by the second wave (accapps, accpairs): 16/28, 18/28, 7/7 at the
# end. Floors: the end figures less about three cases (one negative).
MIN_SEALED27A_HIT1 = 0.45
MIN_SEALED27A_HIT3 = 0.53
MIN_SEALED27A_CLEAN = 0.85

# Session 27, batch B, sealed for the whole session: holdout46 (notebooks and managed environments), holdout47 (recent
# PyTorch), holdout49 (audio, speech and image programs), holdout50 (TF/Keras/JAX outside the big repositories), holdout51
# (serving and deployment), negatives13 and negatives14: 22/54 first, 26/54 in three, 20/20 clean at 20b8e010 and the same
# on the merged code. Two blind experts: 37/54 and 34/54 first (bench/explain_ceiling/holdout46_51.jsonl,
# holdout46_51_second.jsonl). Floors: the end figures less about three cases (one negative).
MIN_SEALED27B_HIT1 = 0.35
MIN_SEALED27B_HIT3 = 0.42
MIN_SEALED27B_CLEAN = 0.90

# Session 28, sealed for the whole session: holdout52 (data-science, graph and RL libraries), holdout53 (image and video
# generation apps), holdout54 (training wrappers on PyTorch/TF/JAX), holdout55 (the JAX ecosystem), holdout56 (cloud,
# managed compute and WSL2), holdout57 (TensorFlow/Keras applications), negatives15: 45/89 first, 58/89 in three, 15/15
# clean at e1eec3f6 and the same on the merged code. Blind experts: 66/89 first, 76/89 in three, 15/15
# (bench/explain_ceiling/holdout52_54.jsonl, holdout55_57.jsonl). Floors: the end figures less about three cases.
MIN_SEALED28_HIT1 = 0.47
MIN_SEALED28_HIT3 = 0.61
MIN_SEALED28_CLEAN = 0.90

# Session 29's sealed batch, collected blind program by program (docs/study-session29-fresh-misses.md): holdout58 (local LLM
# apps), holdout59 (bio/chem/medical tools), holdout60 (detection/OCR/face), holdout61 (inference runtimes and servers),
# holdout62 (environment managers, HPC containers, source builds), holdout63 (NLP and speech), holdout64 (time-series,
# tabular, AutoML), holdout65 (3D vision and image restoration), holdout66 (RL and robotics), negatives16 and 17: 61/136
# first, 70/136 in three, 37/40 clean at 674042e2 and the same on the merged code (not one report changed). Blind experts:
# 111/136 first, 123/136 in three, 37/40 (bench/explain_ceiling/holdout58_60.jsonl, holdout61_62_64.jsonl,
# holdout63_negatives16.jsonl, holdout65_66_negatives17.jsonl). Floors: the end figures less about three cases.
MIN_SEALED29_HIT1 = 0.42
MIN_SEALED29_HIT3 = 0.49
MIN_SEALED29_CLEAN = 0.87

# Session 30's sealed batch (docs/study-session30-fresh-misses.md): holdout67 (GPU computing libraries: CuPy, Numba, OpenCV
# CUDA...), holdout68 (rented GPU hosts and notebook services), holdout69 (creative and desktop apps), holdout70 (Jetson and
# edge), holdout71 (reports in other languages), holdout72 (managed ML platforms and MLOps), negatives18: 33/90 first, 43/90
# in three, 13/15 clean at 5fce72ac; 34/90, 44/90, 13/15 on the merged code (one report changed). Blind experts: 76/90,
# 84/90, 12/15 (bench/explain_ceiling/holdout67_69_70.jsonl, holdout68_71.jsonl, holdout72_negatives18.jsonl). Floors: the
# end figures less about three cases.
MIN_SEALED30_HIT1 = 0.34
MIN_SEALED30_HIT3 = 0.45
MIN_SEALED30_CLEAN = 0.80

# Session 31's sealed batch (docs/study-session31-fresh-misses.md): holdout73 (time series, AutoML and tabular libraries),
# holdout74 (NLP, embedding and retrieval libraries), holdout75 (laptops, hybrid graphics, older GPUs, driver breakage),
# holdout76 (personal write-ups: blogs and forum posts), holdout77 (HPC clusters and shared servers), holdout78 (Kubernetes and
# container orchestration), negatives19 and negatives20: 39/88 first, 45/88 in three, 22/26 clean at 31e80b5d and the same on
# the merged code (no report of the 114 changed). Blind experts: 71/88, 78/88, 23/26 (bench/explain_ceiling/holdout73_74_75.jsonl,
# holdout76_77.jsonl, holdout78_negatives19.jsonl, negatives20.jsonl). Floors: the end figures less about three cases.
MIN_SEALED31_HIT1 = 0.40
MIN_SEALED31_HIT3 = 0.47
MIN_SEALED31_CLEAN = 0.80

# Session 32's sealed batch (docs/study-session32-fresh-misses.md): holdout79 (3D vision, NeRF, Gaussian splatting and CUDA
# extensions), holdout80 (CI runners, devcontainers and developer infrastructure), holdout81 (the newest stack: Blackwell,
# CUDA 12.8-13, drivers 570+), holdout82 (rented GPUs and hosted notebooks), negatives21 (TensorFlow/JAX runs with alarming
# benign lines) and negatives22 (PyTorch programs on the GPU, reports about something else): 26/59 first, 32/59 in three,
# 23/25 clean at 72aa5290; 27/59, 33/59, 23/25 on the merged code (one report of 84 changed). Blind experts: 51/59, 55/59,
# 19/25 (bench/explain_ceiling/holdout79_80.jsonl, holdout81_82.jsonl, negatives21_22.jsonl). Floors: the end figures less
# about three cases.
MIN_SEALED32_HIT1 = 0.40
MIN_SEALED32_HIT3 = 0.50
MIN_SEALED32_CLEAN = 0.80

# Session 33's sealed batch (docs/study-session33-fresh-misses.md): holdout83 (speech and audio programs), holdout84 (LLM
# training and fine-tuning stacks), holdout85 (GPU scientific computing and data science), holdout86 (TensorFlow and Keras on
# Linux and WSL2), negatives23 (GPU runs on Windows, WSL2 and Docker with alarming benign lines) and negatives24 (programs on
# the GPU failing for reasons not about the GPU): 19/54 first, 22/54 in three, 26/27 clean at ba91c470; 20/54, 23/54, 26/27
# on the merged code (one report of 81 changed). Blind experts: 45/54, 49/54, 25/27 (bench/explain_ceiling/holdout83_84.jsonl,
# holdout85_86.jsonl, negatives23_24.jsonl). Floors: the end figures less about three cases.
MIN_SEALED33_HIT1 = 0.31
MIN_SEALED33_HIT3 = 0.37
MIN_SEALED33_CLEAN = 0.85

# Session 34's sealed batch (docs/study-session34-fresh-misses.md): holdout87 (reinforcement learning, robotics, simulators
# and Jetson), holdout88 (the older era: TensorFlow 1.x/2.0-2.4, PyTorch 0.4-1.7, CUDA 8-11.0), holdout89 (machines whose GPU
# is not the one the user thinks: integrated and discrete, AMD, Apple, several GPUs, virtual machines) and negatives25 (GPU runs
# with alarming TensorFlow/XLA/JAX/PyTorch compile warnings): 15/39 first, 18/39 in three, 21/22 clean at 3c8de943 and the
# same on the merged code (no report of 61 changed). Blind experts: 29/39, 37/39, 21/22 (bench/explain_ceiling/
# holdout87_88.jsonl, holdout89.jsonl, negatives25.jsonl). Floors: the figures less about three cases.
MIN_SEALED34_HIT1 = 0.31
MIN_SEALED34_HIT3 = 0.38
MIN_SEALED34_CLEAN = 0.85

# Session 35's sealed batch (docs/study-session35-fresh-misses.md): holdout90 (deep learning from other languages: Rust, Java,
# .NET, Julia bindings), holdout91 (video, media and scientific imaging), holdout92 (installs through package managers other
# than pip) and negatives26 (GPUs their users believed idle): 15/40 first, 18/40 in three, 11/18 clean at 02f7ea38; 14/40,
# 17/40, 11/18 on the merged round one (one report of 58 changed, and lost); 25/40, 27/40, 13/18 after the batch was opened
# and its classes built (seen). Blind experts: 30/40, 37/40, 12/18 (bench/explain_ceiling/holdout90_91.jsonl,
# holdout92.jsonl, negatives26.jsonl). Floors: the start figures less three cases.
MIN_SEALED35_HIT1 = 0.30
MIN_SEALED35_HIT3 = 0.37
MIN_SEALED35_CLEAN = 0.44

# Session 36's sealed batch (docs/study-session36-fresh-misses.md): holdout93 (Azure and other clouds' GPU machines and
# Kubernetes nodes), holdout94 (HPC clusters and schedulers), holdout95 (editors, notebooks and interpreters) and negatives27
# (multi-GPU and cluster runs whose GPUs were used): 8/37 first, 13/37 in three, 16/16 clean at 61f553e4, the same on the
# merged round one (no report of 53 changed); 27/37, 30/37, 16/16 after the batch was opened and its classes built (seen). Blind
# experts: 31/37, 35/37, 16/16 (bench/explain_ceiling/holdout93_94.jsonl, holdout95.jsonl, negatives27.jsonl). Floors: the
# start figures less three cases.
MIN_SEALED36_HIT1 = 0.13
MIN_SEALED36_HIT3 = 0.27
MIN_SEALED36_CLEAN = 0.81

# Session 37's sealed batch (docs/study-session37-fresh-misses.md): holdout96 (the GPU stopped being used after an upgrade or a
# change), holdout97 (how a Python project declares or locks its dependencies: uv, Poetry, pixi, requirements files), holdout98
# (learners' course, book and tutorial set-ups) and negatives28 (harmless CUDA-looking lines on a GPU in use): 14/39 first,
# 19/39 in three, 7/9 clean at 7e52ac42, the same on the merged round one (no report of 48 changed). Blind experts: 35/39,
# 38/39, 9/9 (bench/explain_ceiling/holdout97_98.jsonl, holdout96_neg28.jsonl). Floors: the start figures less three cases.
MIN_SEALED37_HIT1 = 0.28
MIN_SEALED37_HIT3 = 0.41
MIN_SEALED37_CLEAN = 0.44

# Session 38's sealed batch (docs/study-session38-fresh-misses.md): holdout99 (large models run locally for inference: llama.cpp,
# text-generation-webui, CTranslate2, TGI, bitsandbytes ...), holdout100 (native Windows: DLL loading, PATH, Windows wheels),
# holdout101 (managed cloud ML platforms and Kubernetes other than Azure: SageMaker, GKE, Vertex AI, Databricks, device plugin)
# and negatives29 (healthy set-up output posted while the GPU worked): 17/40 first, 21/40 in three, 14/16 clean at 439452cb,
# the same on the merged round one (50c0a2ea). Blind experts: 30/40, 33/40, 13/16 (bench/explain_ceiling/holdout99_100.jsonl,
# holdout101_neg29.jsonl). Floors: the start figures less three cases.
MIN_SEALED38_HIT1 = 0.35
MIN_SEALED38_HIT3 = 0.45
MIN_SEALED38_CLEAN = 0.68

# Session 39's sealed batch (docs/study-session39-fresh-misses.md): holdout102 (image generation and creative tools:
# stable-diffusion web UIs, ComfyUI, kohya, diffusers, onnxruntime face tools, rembg), holdout103 (JAX and its ecosystem:
# jaxlib builds, CUDA plugins, ptxas, NumPyro, cleanrl), holdout104 (computer-vision and OCR toolkits: ultralytics,
# detectron2/mmcv, SAM, PaddleOCR, insightface) and negatives30 (multi-GPU and distributed runs while the GPUs worked):
# 15/36 first, 20/36 in three, 16/21 clean at f7c47163, the same with round one merged (1e8e9d78, a9ece1f8).
# Blind expert: 24/36, 30/36, 20/21 (bench/explain_ceiling/holdout102_104_neg30.jsonl). Floors: the start less three cases.
MIN_SEALED39_HIT1 = 0.33
MIN_SEALED39_HIT3 = 0.47
MIN_SEALED39_CLEAN = 0.61

# Session 40's sealed batch (docs/study-session40-fresh-misses.md): holdout105 (life-science and bio-imaging programs:
# DeepLabCut, nnU-Net, cellpose, scvi-tools, proteinfold, Parabricks, Boltz), holdout106 (NLP libraries: spaCy with CuPy,
# flair, AllenNLP, BERTopic, Rasa, transformers), holdout107 (serving and scheduling stacks: Ray, Triton, TensorFlow
# Serving, KServe, gunicorn, MLflow, DJL) and negatives31
# (GPU in use in those programs' trackers): 13/38 first, 18/38 in three, 17/20 clean at 5ca962d0, the same with round one
# merged (1f7c5f5a, 303f02a3); 26/38, 27/38, 20/20 after opening and round two (seen).
# Blind expert: 29/38, 32/38, 16/20 (bench/explain_ceiling/holdout105_107_neg31.jsonl). Floors: the start less three cases.
MIN_SEALED40_HIT1 = 0.26
MIN_SEALED40_HIT3 = 0.39
MIN_SEALED40_CLEAN = 0.70

# Session 41's first sealed batch (docs/study-session41-fresh-misses.md): holdout108 (gradient boosting and RAPIDS:
# XGBoost, LightGBM, CatBoost, cuML...), holdout109 (face, video and voice applications: SadTalker, roop/facefusion,
# Real-ESRGAN, RVC...), holdout110 (training wrappers: Lightning, Accelerate, Keras 3, Ultralytics, MMDetection...) and
# negatives32 (GPU in use in those programs' trackers): 16/38 first, 20/38 in three, 18/21 clean at 0a602fa4.
# Blind expert: 29/38, 34/38, 15/21 (bench/explain_ceiling/holdout108_110_neg32.jsonl). Floors: the start less three cases.
MIN_SEALED41_HIT1 = 0.34
MIN_SEALED41_HIT3 = 0.44
MIN_SEALED41_CLEAN = 0.71

# Session 41's second sealed batch, kept sealed to the end of the session (docs/study-session41-fresh-misses.md):
# holdout111 (LLM fine-tuning: bitsandbytes, PEFT, unsloth...), holdout112 (managed notebooks outside Azure: Kaggle,
# SageMaker, Databricks...), holdout113 (GPU computing libraries: Numba, CuPy, PyCUDA, Taichi...) and negatives33:
# 14/34 first, 17/34 in three, 15/17 clean at 0a602fa4. Blind expert: 27/34, 30/34, 16/17
# (bench/explain_ceiling/holdout111_113_neg33.jsonl). Floors: the start less three cases.
MIN_SEALED41B_HIT1 = 0.32
MIN_SEALED41B_HIT3 = 0.41
MIN_SEALED41B_CLEAN = 0.70


def _scorer():  # type: ignore[no-untyped-def]
    return bench_scripts.load("explain_corpus")


def _floors_hold(capsys: pytest.CaptureFixture[str], sources: list[Path], min_cases: int,
                 hit1: float, hit3: float, clean: float) -> None:
    """Score ``sources``, print the table, and check each figure against its floor."""
    scorer = _scorer()
    cases = scorer.load_cases(sources)
    assert len(cases) >= min_cases
    result = scorer.score(cases)
    with capsys.disabled():
        print("\n" + scorer.render(result))
    overall = result["overall"]
    assert overall["hit@1_rate"] >= hit1
    assert overall["hit@3_rate"] >= hit3
    assert overall["clean_rate"] >= clean


@pytest.mark.skipif(not DEV.is_dir(), reason="no corpus committed")
def test_corpus_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, [DEV, CASES], 50, MIN_HIT1, MIN_HIT3, MIN_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in HELD_OUT), reason="no held-out corpus committed")
def test_held_out_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    # Precision first: no negative of the held-out sets may get a cause (MIN_HELD_OUT_CLEAN is 1.0).
    _floors_hold(capsys, list(HELD_OUT), 150, MIN_HELD_OUT_HIT1, MIN_HELD_OUT_HIT3, MIN_HELD_OUT_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in LATER), reason="no later corpus committed")
def test_later_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(LATER), 190, MIN_LATER_HIT1, MIN_LATER_HIT3, MIN_LATER_CLEAN)


def test_scorer_counts_hits_and_clean_negatives() -> None:
    scorer = _scorer()
    cases = [
        {"id": "a", "kind": "positive", "framework": "pytorch", "platform": "linux", "causes": ["DRIVER_TOO_OLD"],
         "log": "RuntimeError: The NVIDIA driver on your system is too old (found version 11040)."},
        {"id": "b", "kind": "positive", "framework": "pytorch", "platform": "linux", "causes": ["GPU_FAULT"],
         "log": "RuntimeError: The NVIDIA driver on your system is too old (found version 11040)."},
        {"id": "c", "kind": "negative", "framework": "tensorflow", "platform": "linux", "causes": [],
         "log": "I tensorflow/core/common_runtime/gpu/gpu_device.cc:1635] Created device /job:localhost/replica:0/task:0/device:GPU:0 with 14611 MB memory:  -> device: 0, name: Tesla T4, pci bus id: 0000:00:04.0, compute capability: 7.5"},
    ]
    result = scorer.score(cases)
    assert result["overall"]["hit@1"] == 1
    assert result["overall"]["positives"] == 2
    assert result["overall"]["clean"] == 1
    assert [m["id"] for m in result["misses"]] == ["b"]
    assert result["framework"]["pytorch"]["hit@1"] == 1


@pytest.mark.skipif(not all(d.is_dir() for d in SESSION17), reason="no session-17 corpus committed")
def test_session17_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SESSION17), 150, MIN_SESSION17_HIT1, MIN_SESSION17_HIT3, MIN_SESSION17_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED17), reason="no sealed session-17 corpus committed")
def test_sealed17_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED17), 120, MIN_SEALED17_HIT1, MIN_SEALED17_HIT3, MIN_SEALED17_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED18), reason="no sealed session-18 corpus committed")
def test_sealed18_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED18), 120, MIN_SEALED18_HIT1, MIN_SEALED18_HIT3, MIN_SEALED18_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED19), reason="no sealed session-19 corpus committed")
def test_sealed19_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED19), 110, MIN_SEALED19_HIT1, MIN_SEALED19_HIT3, MIN_SEALED19_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED20), reason="no sealed session-20 corpus committed")
def test_sealed20_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED20), 130, MIN_SEALED20_HIT1, MIN_SEALED20_HIT3, MIN_SEALED20_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED21), reason="no sealed session-21 corpus committed")
def test_sealed21_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED21), 90, MIN_SEALED21_HIT1, MIN_SEALED21_HIT3, MIN_SEALED21_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED22), reason="no sealed session-22 corpus committed")
def test_sealed22_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED22), 110, MIN_SEALED22_HIT1, MIN_SEALED22_HIT3, MIN_SEALED22_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED23), reason="no sealed session-23 corpus committed")
def test_sealed23_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED23), 60, MIN_SEALED23_HIT1, MIN_SEALED23_HIT3, MIN_SEALED23_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED24), reason="no sealed session-24 corpus committed")
def test_sealed24_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED24), 55, MIN_SEALED24_HIT1, MIN_SEALED24_HIT3, MIN_SEALED24_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED25), reason="no sealed session-25 corpus committed")
def test_sealed25_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED25), 80, MIN_SEALED25_HIT1, MIN_SEALED25_HIT3, MIN_SEALED25_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED26A), reason="no session-26 batch A corpus committed")
def test_sealed26a_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED26A), 80, MIN_SEALED26A_HIT1, MIN_SEALED26A_HIT3, MIN_SEALED26A_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED26B), reason="no sealed session-26 batch B corpus committed")
def test_sealed26b_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED26B), 45, MIN_SEALED26B_HIT1, MIN_SEALED26B_HIT3, MIN_SEALED26B_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED27A), reason="no session-27 batch A corpus committed")
def test_sealed27a_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED27A), 35, MIN_SEALED27A_HIT1, MIN_SEALED27A_HIT3, MIN_SEALED27A_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED27B), reason="no sealed session-27 batch B corpus committed")
def test_sealed27b_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED27B), 74, MIN_SEALED27B_HIT1, MIN_SEALED27B_HIT3, MIN_SEALED27B_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED28), reason="no sealed session-28 corpus committed")
def test_sealed28_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED28), 104, MIN_SEALED28_HIT1, MIN_SEALED28_HIT3, MIN_SEALED28_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED29), reason="no sealed session-29 corpus committed")
def test_sealed29_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED29), 176, MIN_SEALED29_HIT1, MIN_SEALED29_HIT3, MIN_SEALED29_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED30), reason="no sealed session-30 corpus committed")
def test_sealed30_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED30), 105, MIN_SEALED30_HIT1, MIN_SEALED30_HIT3, MIN_SEALED30_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED31), reason="no sealed session-31 corpus committed")
def test_sealed31_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED31), 114, MIN_SEALED31_HIT1, MIN_SEALED31_HIT3, MIN_SEALED31_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED33), reason="no sealed session-33 corpus committed")
def test_sealed33_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED33), 81, MIN_SEALED33_HIT1, MIN_SEALED33_HIT3, MIN_SEALED33_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED34), reason="no sealed session-34 corpus committed")
def test_sealed34_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED34), 61, MIN_SEALED34_HIT1, MIN_SEALED34_HIT3, MIN_SEALED34_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED36), reason="no sealed session-36 corpus committed")
def test_sealed36_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED36), 53, MIN_SEALED36_HIT1, MIN_SEALED36_HIT3, MIN_SEALED36_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED37), reason="no sealed session-37 corpus committed")
def test_sealed37_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED37), 48, MIN_SEALED37_HIT1, MIN_SEALED37_HIT3, MIN_SEALED37_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED38), reason="no sealed session-38 corpus committed")
def test_sealed38_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED38), 56, MIN_SEALED38_HIT1, MIN_SEALED38_HIT3, MIN_SEALED38_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED41B), reason="no sealed session-41 second batch committed")
def test_sealed41b_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED41B), 51, MIN_SEALED41B_HIT1, MIN_SEALED41B_HIT3, MIN_SEALED41B_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED41), reason="no sealed session-41 corpus committed")
def test_sealed41_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED41), 59, MIN_SEALED41_HIT1, MIN_SEALED41_HIT3, MIN_SEALED41_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED40), reason="no sealed session-40 corpus committed")
def test_sealed40_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED40), 58, MIN_SEALED40_HIT1, MIN_SEALED40_HIT3, MIN_SEALED40_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED39), reason="no sealed session-39 corpus committed")
def test_sealed39_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED39), 57, MIN_SEALED39_HIT1, MIN_SEALED39_HIT3, MIN_SEALED39_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED35), reason="no sealed session-35 corpus committed")
def test_sealed35_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED35), 58, MIN_SEALED35_HIT1, MIN_SEALED35_HIT3, MIN_SEALED35_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in SEALED32), reason="no sealed session-32 corpus committed")
def test_sealed32_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    _floors_hold(capsys, list(SEALED32), 84, MIN_SEALED32_HIT1, MIN_SEALED32_HIT3, MIN_SEALED32_CLEAN)


@pytest.mark.skipif(not all(d.is_dir() for d in NEGATIVES67), reason="no negatives6/7 corpus committed")
def test_negatives6_7_stay_clean(capsys: pytest.CaptureFixture[str]) -> None:
    scorer = _scorer()
    cases = [c for c in scorer.load_cases(list(NEGATIVES67)) if c["kind"] == "negative"]
    assert len(cases) >= 29
    result = scorer.score(cases)
    with capsys.disabled():
        print("\n" + scorer.render(result))
    assert result["overall"]["clean_rate"] >= MIN_NEGATIVES67_CLEAN


@pytest.mark.parametrize(("study", "counts", "expert"), [
    ("holdout13_14.jsonl", "109 positives, 24 negatives", "expert  hit@1 92/109  hit@3 105/109"),
    ("holdout15.jsonl", "49 positives, 11 negatives", "expert  hit@1 41/49  hit@3 46/49"),
    ("holdout16.jsonl", "47 positives, 11 negatives", "expert  hit@1 39/47  hit@3 44/47"),
    ("holdout17_18.jsonl", "71 positives, 14 negatives", "expert  hit@1 62/71  hit@3 69/71"),
    ("holdout19.jsonl", "43 positives, 10 negatives", "expert  hit@1 40/43  hit@3 41/43"),
    ("holdout20_22.jsonl", "100 positives, 16 negatives", "expert  hit@1 86/100  hit@3 94/100"),
    ("holdout23_25.jsonl", "117 positives, 13 negatives", "expert  hit@1 85/117  hit@3 109/117"),
    ("holdout26_32.jsonl", "67 positives, 5 negatives", "expert  hit@1 53/67  hit@3 59/67"),
    ("holdout33_35.jsonl", "44 positives, 1 negatives", "expert  hit@1 33/44  hit@3 40/44"),
    ("holdout36_38.jsonl", "63 positives, 20 negatives", "expert  hit@1 51/63  hit@3 60/63"),
    ("holdout39_41.jsonl", "61 positives, 20 negatives", "expert  hit@1 50/61  hit@3 57/61"),
    ("holdout42_43.jsonl", "34 positives, 14 negatives", "expert  hit@1 27/34  hit@3 29/34"),
])
def test_the_blind_ceiling_study_scores_the_expert_and_whygpu_on_the_same_cases(
        capsys: pytest.CaptureFixture[str], study: str, counts: str, expert: str) -> None:
    # bench/explain_ceiling.py: every row of a study names a corpus case; both readers are scored on it.
    ceiling = bench_scripts.load("explain_ceiling")
    assert ceiling.main([str(Path(__file__).resolve().parents[2] / "bench" / "explain_ceiling" / study)]) == 0
    out = capsys.readouterr().out
    assert counts in out
    # The expert's figures are the study's data (a blind reading, fixed); whygpu's are computed now.
    assert expert in out
    assert "whygpu  hit@1 " in out


@pytest.mark.skipif(not NEGATIVES4.is_dir(), reason="no negatives4 corpus committed")
def test_negatives4_stay_clean(capsys: pytest.CaptureFixture[str]) -> None:
    scorer = _scorer()
    cases = [c for c in scorer.load_cases([NEGATIVES4]) if c["kind"] == "negative"]
    assert len(cases) >= 40
    result = scorer.score(cases)
    with capsys.disabled():
        print("\n" + scorer.render(result))
    assert result["overall"]["clean_rate"] >= MIN_NEGATIVES4_CLEAN


@pytest.mark.skipif(not NEGATIVES5.is_dir(), reason="no negatives5 corpus committed")
def test_negatives5_stay_clean(capsys: pytest.CaptureFixture[str]) -> None:
    scorer = _scorer()
    cases = scorer.load_cases([NEGATIVES5])
    assert len(cases) >= 45 and all(c["kind"] == "negative" for c in cases)
    result = scorer.score(cases)
    with capsys.disabled():
        print("\n" + scorer.render(result))
    assert result["overall"]["clean_rate"] >= MIN_NEGATIVES5_CLEAN
