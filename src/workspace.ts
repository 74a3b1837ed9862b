/**
 * A workspace for the GPT forward pass (lesson 20, and the production path): every activation
 * buffer allocated once and reused by each call, so a generation loop makes no garbage. Defined
 * with the GPT family in `gpt/workspace.ts`.
 * @module
 */
export { type GptWorkspace, createGptWorkspace } from "./gpt/workspace";
