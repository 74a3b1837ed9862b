/**
 * A workspace for the GPT forward pass (lesson 20, and the production path): every activation
 * buffer allocated once and reused by each call, so a generation loop makes no garbage.
 * Buffers hold up to `tokens` rows; C = nEmbd, H = nHead, D = C/H, V = vocabSize.
 * @module
 */
import type { GptConfig } from "./gpt";
import { resolveConfig } from "./internal/params";
import { checkInteger, checkOptions } from "./internal/check";

/**
 * Buffers for {@link gptForward}'s `workspace` option, named after the intermediates they hold
 * (the names {@link gptForward}'s `tap` uses). One set serves every layer in turn.
 * @category 13–20 · The model
 */
export interface GptWorkspace {
  /** The most tokens one call may process. */
  readonly tokens: number;
  /** The config it was made for, with defaults filled in. */
  readonly config: Readonly<Required<GptConfig>>;
  /** The residual stream `[tokens, C]` (`embed.sum`, then `h.i.resid1`, `h.i.resid2`). */
  readonly x: Float32Array;
  /** Layer-norm output `[tokens, C]` (`h.i.ln1`, `h.i.ln2`, `lnF`). */
  readonly ln: Float32Array;
  /** The fused Q/K/V projection `[tokens, 3C]`. */
  readonly qkv: Float32Array;
  /** Queries by head `[H, tokens, D]` (`h.i.attn.q`). */
  readonly q: Float32Array;
  /** Keys and values by head `[H, tokens, D]`, used when there is no KV cache. */
  readonly k: Float32Array;
  readonly v: Float32Array;
  /** Attention output by head `[H, tokens, D]` (`h.i.attn.heads`), then merged `[tokens, C]` (`h.i.attn.merged`). */
  readonly heads: Float32Array;
  readonly merged: Float32Array;
  /** A projection's output `[tokens, C]` (`h.i.attn.out`, `h.i.mlp.out`). */
  readonly proj: Float32Array;
  /** The MLP's hidden layer `[tokens, 4C]` (`h.i.mlp.fc`, then `h.i.mlp.act` in place). */
  readonly fc: Float32Array;
  /** Logits `[rows, V]`: allocated at the first call that needs them and grown only when a call needs more rows. */
  readonly logits: Float32Array;
}

/**
 * Allocates the buffers of a forward pass over up to `tokens` tokens (at most blockSize), for
 * {@link gptForward}'s `workspace` option: 15·C floats per token, plus V per row of logits.
 *
 * @param config - the model's config (or its params' `config`)
 * @param options - `tokens`: the most tokens per call (default 1, the size of a generation step)
 * @returns a workspace (reuse it for every call; the logits it returns are overwritten by the next)
 * @throws RangeError for a bad config or tokens
 * @category 13–20 · The model
 * @example
 * ```ts
 * const workspace = createGptWorkspace(params.config, { tokens: 16 });
 * const logits = gptForward(params, ids, { cache, workspace }); // a view into workspace.logits
 * ```
 */
export function createGptWorkspace(config: GptConfig, options?: { tokens?: number }): GptWorkspace {
  const c = resolveConfig("createGptWorkspace", config);
  const { tokens = 1 } = checkOptions("createGptWorkspace", options, ["tokens"]);
  checkInteger("createGptWorkspace", "tokens", tokens, 1);
  return gptWorkspaceIn(c, tokens, (n) => new Float32Array(n));
}

/** A workspace (config resolved, tokens checked) whose buffers come from `floats` (a generation's residency), with `logitRows` rows of logits made up front. */
export function gptWorkspaceIn(c: Readonly<Required<GptConfig>>, tokens: number, floats: (n: number) => Float32Array, logitRows = 0): GptWorkspace {
  const C = c.nEmbd, rows = Math.min(tokens, c.blockSize), f = floats;
  return {
    tokens: rows, config: c,
    x: f(rows * C), ln: f(rows * C), qkv: f(rows * 3 * C), q: f(rows * C), k: f(rows * C), v: f(rows * C),
    heads: f(rows * C), merged: f(rows * C), proj: f(rows * C), fc: f(rows * 4 * C), logits: f(logitRows * c.vocabSize),
  };
}
