import { SandboxCardIssuer, SandboxPaymentRail } from "../../src/index.ts";
import { cardIssuerContract, paymentRailContract } from "./ports.contract.ts";

paymentRailContract("sandbox", () => new SandboxPaymentRail());
cardIssuerContract("sandbox", () => new SandboxCardIssuer());
