// The model Worker: it holds the model the page walks, runs every forward and generation, and keeps
// the last walk's taps so the page can ask for one layer at a time. The page stays responsive however
// large the model; where the page is cross-origin isolated the kernels split over every core.
import { createRng, sampleToken, setThreads, threadStatus, wasmStatus, type SamplingOptions, type Tensor } from "../../src/index";
import { charPlaygroundModel, modelFromBlobs, residentModel, sortPlaygroundModel, type PickedBlob, type PickedFile, type PlaygroundModel } from "./models";
import { generateSteps, idsOf, walk, walkLayer } from "./walk";

setThreads("auto");

export type ModelRequest =
  | { type: "load"; source: "sort" }
  | { type: "load"; source: "chars"; files: PickedFile[] }
  | { type: "load"; source: "files"; files: PickedBlob[] }
  | { type: "walk"; text: string }
  | { type: "layer"; layer: number }
  | { type: "generate"; text: string; steps: number; options: SamplingOptions; seed: number }
  | { type: "stop" };

export interface ModelInfo {
  name: string; family: "gpt" | "llama"; tokenizer: string; sample: string; parameters: number;
  config: Record<string, unknown>; threads: number; reason: string | null; loadMs: number;
  /** wasmStatus(): the bytes resident in the kernels' memory (0 where it is not shared), and that memory's size. */
  residentBytes: number; memoryBytes: number;
}

let model: PlaygroundModel | null = null;
let taps = new Map<string, Tensor>();
let generation = 0; // a stop, or a newer generate, ends the one running
const post = (message: unknown, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer);

/** The parameter count: the elements of every weight (a float32 tensor or a block-quantized one). */
function parameters(tree: unknown): number {
  if (tree == null || typeof tree !== "object" || ArrayBuffer.isView(tree)) return 0;
  const shape = (tree as { shape?: unknown }).shape;
  if (Array.isArray(shape)) return shape.reduce((a: number, b: number) => a * b, 1);
  return Object.entries(tree).reduce((n, [k, v]) => n + (k === "config" ? 0 : parameters(v)), 0);
}

/** Every Float32Array in a result, for a transfer list (copies are made, so the taps stay whole here). */
function copyOut<T>(value: T, transfer: Transferable[]): T {
  if (value instanceof Float32Array) { const c = value.slice(); transfer.push(c.buffer); return c as T; }
  if (Array.isArray(value)) return value.map((v) => copyOut(v, transfer)) as T;
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyOut(v, transfer)])) as T;
  return value;
}

async function handle(request: ModelRequest, reply: (m: unknown) => void): Promise<unknown> {
  if (request.type === "load") {
    const t0 = performance.now();
    const next = residentModel(request.source === "sort" ? sortPlaygroundModel() : request.source === "chars" ? charPlaygroundModel(request.files[0].bytes) : await modelFromBlobs(request.files));
    model = next; // only once it loaded: a bad file leaves the previous model working
    taps = new Map();
    const { threads, reason } = threadStatus();
    const { residentBytes, memoryBytes } = wasmStatus();
    const info: ModelInfo = {
      name: next.name, family: next.family, tokenizer: next.tokenizer.kind, sample: next.sample, parameters: parameters(next.params), config: { ...next.params.config },
      threads, reason, loadMs: performance.now() - t0, residentBytes, memoryBytes,
    };
    return info;
  }
  if (!model) throw new Error("no model is loaded yet");
  if (request.type === "walk") {
    const result = walk(model, request.text);
    taps = result.taps;
    return result.overview;
  }
  if (request.type === "layer") return walkLayer(model, taps, request.layer);
  if (request.type === "generate") {
    const mine = ++generation;
    const rng = createRng(request.seed);
    const options = request.options;
    const sample = (logits: Float32Array) => sampleToken(logits, options.temperature === 0 ? { temperature: 0 } : { ...options, rng });
    const steps = [];
    const t0 = performance.now();
    for (const step of generateSteps(model, idsOf(model, request.text), request.steps, () => ({ sample }))) {
      if (mine !== generation) break;
      steps.push(step);
      reply({ progress: step });
      await new Promise((ok) => setTimeout(ok, 0)); // let a stop arrive
    }
    return { steps, ms: performance.now() - t0, stopped: mine !== generation };
  }
  generation++;
  return { stopped: true };
}

self.onmessage = async (event: MessageEvent<{ id: number; request: ModelRequest }>) => {
  const { id, request } = event.data;
  try {
    const result = await handle(request, (m) => post({ id, ...(m as object) }));
    const transfer: Transferable[] = [];
    post({ id, ok: true, result: copyOut(result, transfer) }, transfer);
  } catch (e) {
    post({ id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
};
