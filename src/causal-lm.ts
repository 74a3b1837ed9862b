/**
 * What `generate` needs of a model family, and nothing more: its size, and a session (a snapshot
 * of the weights, a KV cache and a workspace, all kept in one residency of the kernel backend)
 * that runs ids forward. A family implements it in its own file (GPT: `gpt/lm.ts`; Llama:
 * `llama/lm.ts`); `generate` never imports a family, only `families.ts`, which lists them.
 * @module
 */
import type { Residency } from "./backend/resident";

/** A KV cache and a workspace for one generation (sized from the config), over the weights it was made with. */
export interface CausalLMSession {
  /** Positions the cache holds; the next token's position. */
  readonly length: number;
  /** Empties the cache (a new sequence from position 0). */
  reset(): void;
  /** Runs T ids after the cached positions, appending them to the cache; with `"last"`, the last position's logits land in {@link logits}. */
  forward(ids: ArrayLike<number>, T: number, logits: "last" | "none"): void;
  /** The last forward's logits `[V]` (a view into the workspace, valid until the next forward). */
  readonly logits: Float32Array;
}

/** One model family seen through the interface. */
export interface CausalLM<P> {
  /** Checks the parameters (naming fn in errors) and returns their sizes. */
  check(fn: string, params: P): { vocabSize: number; blockSize: number };
  /**
   * A session for these parameters, running up to `chunk` tokens per forward: its cache and
   * workspace in the residency (JavaScript arrays without one), over a snapshot of the parameters
   * copied into it when `copyWeights`, else over the parameters themselves; the KV cache's keys and
   * values stored as `kvCache` (`"f16"`: binary16, see internal/kv-half.ts).
   */
  session(params: P, chunk: number, res: Residency | null, copyWeights: boolean, kvCache: "f32" | "f16"): CausalLMSession;
}
