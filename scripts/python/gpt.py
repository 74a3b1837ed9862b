"""A minimal GPT in PyTorch with nanoGPT/minGPT checkpoint names, used to train the sort model and to
write reference values. Dropout is left out (inference only differs by it)."""
import json, math, struct
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, C, H, bias=True, gelu="tanh", eps=1e-5):
        super().__init__()
        self.H, self.gelu = H, gelu
        self.ln_1 = nn.LayerNorm(C, eps=eps, elementwise_affine=True)
        self.attn = nn.Module()
        self.attn.c_attn = nn.Linear(C, 3 * C, bias=bias)
        self.attn.c_proj = nn.Linear(C, C, bias=bias)
        self.ln_2 = nn.LayerNorm(C, eps=eps)
        self.mlp = nn.Module()
        self.mlp.c_fc = nn.Linear(C, 4 * C, bias=bias)
        self.mlp.c_proj = nn.Linear(4 * C, C, bias=bias)
        if not bias:
            self.ln_1.bias = None
            self.ln_2.bias = None

    def attention(self, x, tap=None):
        B, T, C = x.shape
        H, D = self.H, C // self.H
        q, k, v = self.attn.c_attn(x).split(C, dim=2)
        q, k, v = [t.view(B, T, H, D).transpose(1, 2) for t in (q, k, v)]
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(D)
        mask = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
        scores = scores.masked_fill(~mask, float("-inf"))
        att = torch.softmax(scores, dim=-1)
        y = att @ v
        merged = y.transpose(1, 2).contiguous().view(B, T, C)
        out = self.attn.c_proj(merged)
        if tap is not None:
            for name, t in [("q", q), ("k", k), ("v", v), ("scores", scores), ("weights", att), ("heads", y), ("merged", merged), ("out", out)]:
                tap("attn." + name, t)
        return out

    def forward(self, x, tap=None):
        t = tap or (lambda n, v: None)
        h = self.ln_1(x); t("ln1", h)
        x = x + self.attention(h, tap); t("resid1", x)
        h = self.ln_2(x); t("ln2", h)
        fc = self.mlp.c_fc(h); t("mlp.fc", fc)
        act = F.gelu(fc, approximate=self.gelu); t("mlp.act", act)
        out = self.mlp.c_proj(act); t("mlp.out", out)
        x = x + out; t("resid2", x)
        return x


class GPT(nn.Module):
    def __init__(self, vocab_size, block_size, n_layer, n_head, n_embd, bias=True, gelu="tanh", eps=1e-5, tied=True):
        super().__init__()
        self.tied = tied
        self.transformer = nn.Module()
        self.transformer.wte = nn.Embedding(vocab_size, n_embd)
        self.transformer.wpe = nn.Embedding(block_size, n_embd)
        self.transformer.h = nn.ModuleList([Block(n_embd, n_head, bias, gelu, eps) for _ in range(n_layer)])
        self.transformer.ln_f = nn.LayerNorm(n_embd, eps=eps)
        if not bias:
            self.transformer.ln_f.bias = None
        if not tied:
            self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.apply(self._init)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, 0.0, 0.02 / math.sqrt(2 * n_layer))

    @staticmethod
    def _init(m):
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0.0, 0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Embedding):
            nn.init.normal_(m.weight, 0.0, 0.02)

    def forward(self, idx, targets=None, tap=None):
        t = tap or (lambda n, v: None)
        T = idx.shape[1]
        tok = self.transformer.wte(idx); t("embed.tokens", tok)
        pos = self.transformer.wpe(torch.arange(T, device=idx.device)); t("embed.positions", pos)
        x = tok + pos; t("embed.sum", x)
        for i, block in enumerate(self.transformer.h):
            x = block(x, (lambda n, v, i=i: t(f"h.{i}.{n}", v)) if tap else None)
        x = self.transformer.ln_f(x); t("lnF", x)
        logits = x @ self.transformer.wte.weight.t() if self.tied else self.lm_head(x)
        t("logits", logits)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)
        return logits, loss


def save_safetensors(path, tensors, metadata=None):
    """Writes float32 tensors in the safetensors format: u64 header length, JSON header, raw data."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        data = tensors[name].detach().to(torch.float32).contiguous().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = metadata
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def load_safetensors(path):
    """Reads a float32 safetensors file: (tensors by name, metadata)."""
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    metadata = header.pop("__metadata__", {})
    state = {}
    for name, v in header.items():
        assert v["dtype"] == "F32", f"{name}: {v['dtype']} (only F32 here)"
        b, e = v["data_offsets"]
        state[name] = torch.frombuffer(bytearray(raw[8 + n + b:8 + n + e]), dtype=torch.float32).view(*v["shape"]).clone()
    return state, metadata


def from_checkpoint(path):
    """A GPT from a checkpoint written by transformer-primitives (gptToStateDict + saveSafetensors)."""
    state, metadata = load_safetensors(path)
    c = json.loads(metadata["config"])
    model = GPT(c["vocabSize"], c["blockSize"], c["nLayer"], c["nHead"], c["nEmbd"], bias=c.get("bias", True),
                gelu=c.get("gelu", "tanh"), eps=c.get("eps", 1e-5), tied="lm_head.weight" not in state)
    model.load_state_dict(state)  # strict: every name and shape must match
    return model, metadata
