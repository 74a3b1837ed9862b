/**
 * What `generate` needs of a model family, and nothing more: its size, the weight matrices to pin in
 * WebAssembly memory, and a session (a KV cache and a workspace) that runs ids forward. A family
 * implements it in its own file (GPT: `gpt-lm.ts`; Llama: `llama/lm.ts`); `generate` never imports a
 * family, only `families.ts`, which lists them.
 * @module
 */

/** A weight matrix `[N, K]` as the linear kernels read it (what `pinWeights` copies). */
export interface PinnableMatrix { data: Float32Array; N: number; K: number }

/** A KV cache and a workspace for one generation (sized from the config; the weights come with each forward). */
export interface CausalLMSession<P> {
  /** Positions the cache holds; the next token's position. */
  readonly length: number;
  /** Empties the cache (a new sequence from position 0). */
  reset(): void;
  /** Runs T ids after the cached positions, appending them to the cache; with `"last"`, the last position's logits land in {@link logits}. */
  forward(params: P, ids: ArrayLike<number>, T: number, logits: "last" | "none"): void;
  /** The last forward's logits `[V]` (a view into the workspace, valid until the next forward). */
  readonly logits: Float32Array;
  /** The cache's key and value arrays, as matrices to pin (empty where the kernels cannot read them in place). */
  readonly kv: PinnableMatrix[];
}

/** One model family seen through the interface. */
export interface CausalLM<P> {
  /** Checks the parameters (naming fn in errors) and returns their sizes. */
  check(fn: string, params: P): { vocabSize: number; blockSize: number };
  /** Every weight matrix a forward pass multiplies by. */
  weightMatrices(params: P): PinnableMatrix[];
  /** A session for a model of this config (`params.config`), running up to `chunk` tokens per forward. */
  session(params: P, chunk: number): CausalLMSession<P>;
}
