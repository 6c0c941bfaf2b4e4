import type { Command } from "commander";
import type { Context } from "../context.ts";

export function registerMcp(program: Command, ctx: Context): void {
  program
    .command("mcp")
    .description("Run the MCP server on stdio (claude mcp add fg -- npx fg-cli mcp)")
    .action(async () => {
      // Loaded on demand: the SDK is the heaviest import and only this command needs it.
      const [{ StdioServerTransport }, { createMcpServer }] = await Promise.all([
        import("@modelcontextprotocol/sdk/server/stdio.js"),
        import("../mcp/server.ts"),
      ]);
      const server = createMcpServer(ctx.client());
      await server.connect(new StdioServerTransport());
      await new Promise<void>((resolve) => {
        server.server.onclose = () => resolve();
        process.stdin.once("end", () => resolve());
      });
      await server.close();
    });
}
