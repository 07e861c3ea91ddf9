import { vi } from "vitest";
vi.mock("@/lib/models/registry", () => ({ OFFLINE_MODEL_ID: "offline:drafter", modelIdSchemaMessage: "x", parseModelId: () => ({ provider: "offline", model: "drafter" }), languageModelFor: () => { throw new Error("no"); } }));
vi.mock("next-auth", () => import("./next-auth-without-session"));
import "./malformed-requests.test";
import "./openapi.test";
