// TP_KERNELS=js runs the whole suite with the WebAssembly kernels switched off (npm test runs it
// both ways), so every reference test covers both paths.
import { useWasm } from "../src/index";

if (process.env.TP_KERNELS === "js") useWasm(false);
