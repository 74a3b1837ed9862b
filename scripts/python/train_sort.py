#!/usr/bin/python3
"""Trains minGPT's gpt-nano on the sort task (Bycroft's LLM visualization) and writes
examples/assets/sort-model.safetensors.

Task: 6 letters from {A=0, B=1, C=2} → the same letters sorted. Sequence = input + sorted output,
block size 11 (the last output token is never fed back). Loss only on the 6 output positions.
Model: 3 layers, 3 heads, 48 channels, biases everywhere, GELU tanh, untied LM head without bias.
Run with Debian's python3 and python3-torch:  /usr/bin/python3 scripts/python/train_sort.py
"""
import itertools, os, sys, time
import torch
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gpt import GPT, save_safetensors

torch.manual_seed(3407)
torch.set_num_threads(2)
LENGTH, VOCAB = 6, 3
BLOCK = 2 * LENGTH - 1
ALL = torch.tensor(list(itertools.product(range(VOCAB), repeat=LENGTH)))  # the 729 inputs


def batch(n):
    inp = torch.randint(VOCAB, (n, LENGTH))
    sol = torch.sort(inp, dim=1)[0]
    cat = torch.cat([inp, sol], dim=1)
    x, y = cat[:, :-1].clone(), cat[:, 1:].clone()
    y[:, : LENGTH - 1] = -1
    return x, y


@torch.no_grad()
def solved(model):
    idx = ALL.clone()
    for _ in range(LENGTH):
        logits, _ = model(idx)
        idx = torch.cat([idx, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
    return int((idx[:, LENGTH:] == torch.sort(ALL, dim=1)[0]).all(dim=1).sum())


model = GPT(VOCAB, BLOCK, n_layer=3, n_head=3, n_embd=48, bias=True, gelu="tanh", tied=False)
opt = torch.optim.AdamW(model.parameters(), lr=5e-4, betas=(0.9, 0.95), weight_decay=0.1)
start = time.time()
for it in range(1, 20001):
    x, y = batch(64)
    _, loss = model(x, y)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    if it % 500 == 0:
        model.eval()
        ok = solved(model)
        model.train()
        print(f"iter {it}: loss {loss.item():.5f}, sorts {ok}/729 ({time.time() - start:.0f}s)", flush=True)
        if ok == 729 and it >= 2000:
            break
assert solved(model) == 729, "did not learn to sort every input"
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "assets", "sort-model.safetensors")
save_safetensors(out, model.state_dict(), {
    "task": "sort 6 letters A<B<C", "vocab": "A=0,B=1,C=2", "config": '{"vocabSize":3,"blockSize":11,"nLayer":3,"nHead":3,"nEmbd":48,"bias":true,"gelu":"tanh","eps":1e-5}',
    "trained_by": "scripts/python/train_sort.py", "iterations": str(it),
})
print("wrote", os.path.normpath(out), "after", it, "iterations")
