#!/usr/bin/python3
"""The PyTorch reference point for `npm run bench train`: the same training step (forward, backward,
clip_grad_norm_, AdamW) of the same two models, on one thread (or --threads N), median of timed steps.

Run with Debian's system python3 and python3-torch:  /usr/bin/python3 scripts/python/bench_train.py [--threads 2]
It prints which BLAS library torch loaded: with Debian's reference BLAS instead of OpenBLAS
(apt-get install libopenblas0-pthread) torch is about 15x slower.
"""
import os, statistics, sys, time
import torch
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gpt import GPT

THREADS = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 1
torch.set_num_threads(THREADS)
torch.manual_seed(0)


def blas():
    with open("/proc/self/maps") as f:
        maps = f.read()
    for name in ("openblas", "libblis", "libmkl", "libblas.so"):
        if name in maps:
            lines = [l.split()[-1] for l in maps.splitlines() if name in l]
            return os.path.realpath(lines[0])
    return "unknown"


def bench(name, vocab, block, n_layer, n_head, n_embd, B, T, tied):
    model = GPT(vocab, block, n_layer, n_head, n_embd, bias=True, gelu="tanh", tied=tied)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    other = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": other, "weight_decay": 0.0}], lr=1e-3, betas=(0.9, 0.95))
    x = torch.randint(vocab, (B, T))
    y = torch.randint(vocab, (B, T))

    def step():
        _, loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    for _ in range(3):
        step()
    times = []
    start = time.perf_counter()
    while len(times) < 10 or time.perf_counter() - start < 3:
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    ms = statistics.median(times) * 1000
    print(f"{name}: batch {B}x{T}: {ms:.1f} ms per step, {B * T / ms * 1000:,.0f} tokens/s")


print(f"torch {torch.__version__}, {THREADS} thread{'s' if THREADS > 1 else ''}, BLAS: {blas()}")
bench("char model (4 layers, 4 heads, C = 128, 444 characters)", 444, 128, 4, 4, 128, 8, 128, True)
bench("nano-sort (3 layers, 3 heads, C = 48)", 3, 11, 3, 3, 48, 64, 11, False)
