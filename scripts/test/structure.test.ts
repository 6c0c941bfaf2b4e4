import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  App,
  BrowserWorker,
  FunctionKeys,
  HandlerExport,
  HandlerFiles,
  ProtectedStages,
  WorkflowFunctionKeys,
} from "@fg/core/infra/names";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// Static checks over sst.config.ts and stacks/: SST cannot run here, so the wiring is verified by reading it.
const root = path.resolve(import.meta.dirname, "../..");
const stackFiles = readdirSync(path.join(root, "stacks"))
  .filter((f) => f.endsWith(".ts"))
  .sort();

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(path.join(root, file), "utf8"), ts.ScriptTarget.Latest, true);
}

function nodes(source: ts.SourceFile): ts.Node[] {
  const all: ts.Node[] = [];
  const visit = (node: ts.Node) => {
    all.push(node);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return all;
}

const stacks = Object.fromEntries(stackFiles.map((f) => [f.replace(/\.ts$/, ""), parse(`stacks/${f}`)]));
const config = parse("sst.config.ts");

function dynamicImports(source: ts.SourceFile): string[] {
  return nodes(source)
    .filter(
      (n): n is ts.CallExpression =>
        ts.isCallExpression(n) &&
        n.expression.kind === ts.SyntaxKind.ImportKeyword &&
        n.arguments.length === 1,
    )
    .map((n) => (n.arguments[0] as ts.StringLiteral).text);
}

function staticImports(source: ts.SourceFile): { from: string; names: string[] }[] {
  return source.statements.filter(ts.isImportDeclaration).map((d) => {
    const bindings = d.importClause?.namedBindings;
    const names = bindings && ts.isNamedImports(bindings) ? bindings.elements.map((e) => e.name.text) : [];
    return { from: (d.moduleSpecifier as ts.StringLiteral).text, names };
  });
}

function importsFrom(source: ts.SourceFile, module: string): string[] {
  return staticImports(source)
    .filter((i) => i.from === module)
    .flatMap((i) => i.names);
}

function calls(source: ts.SourceFile, callee: string): ts.CallExpression[] {
  return nodes(source).filter(
    (n): n is ts.CallExpression => ts.isCallExpression(n) && n.expression.getText(source) === callee,
  );
}

function news(source: ts.SourceFile, className: string): ts.NewExpression[] {
  return nodes(source).filter(
    (n): n is ts.NewExpression => ts.isNewExpression(n) && n.expression.getText(source) === className,
  );
}

function stringLiterals(source: ts.SourceFile): string[] {
  return nodes(source)
    .filter((n) => ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n))
    .map((n) => (n as ts.StringLiteral).text);
}

function exportsName(source: ts.SourceFile, name: string): boolean {
  return source.statements.some((s) => {
    const exported =
      ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (exported && ts.isVariableStatement(s)) {
      return s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name);
    }
    if (exported && (ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s))) return s.name?.text === name;
    if (ts.isExportDeclaration(s) && s.exportClause && ts.isNamedExports(s.exportClause)) {
      return s.exportClause.elements.some((e) => e.name.text === name);
    }
    return false;
  });
}

describe("sst.config.ts", () => {
  const order = dynamicImports(config).map((spec) => spec.replace(/^\.\/stacks\//, ""));

  it("imports every stacks/ module exactly once", () => {
    expect([...order].sort()).toEqual(stackFiles.map((f) => f.replace(/\.ts$/, "")).sort());
    expect(new Set(order).size).toBe(order.length);
  });

  it("has no top-level imports (SST evaluates app() before any module exists)", () => {
    expect(staticImports(config)).toEqual([]);
  });

  it("imports each stack after the stacks it depends on", () => {
    for (const [name, source] of Object.entries(stacks)) {
      for (const { from } of staticImports(source).filter((i) => i.from.startsWith("./"))) {
        const dependency = from.replace(/^\.\//, "");
        expect(order.indexOf(dependency), `${name} imports ${dependency}`).toBeLessThan(order.indexOf(name));
      }
    }
  });

  it("names the app, its home and protected stages as packages/core/src/infra/names.ts does", () => {
    const text = config.getFullText();
    expect(text).toContain(`name: "${App.name}"`);
    expect(text).toContain(`home: "${App.home}"`);
    expect(text).toContain(`[${ProtectedStages.map((s) => `"${s}"`).join(", ")}]`);
  });
});

describe("handlers", () => {
  it.each(FunctionKeys.map((key) => [key, HandlerFiles[key]]))(
    "%s: %s exists and exports handler",
    (_key, file) => {
      expect(existsSync(path.join(root, file)), `${file} is missing`).toBe(true);
      expect(exportsName(parse(file), HandlerExport), `${file} does not export ${HandlerExport}`).toBe(true);
    },
  );
});

describe("container images", () => {
  it("the browser worker's Dockerfile exists in its build context", () => {
    const dockerfile = path.join(root, BrowserWorker.context, BrowserWorker.dockerfile);
    expect(existsSync(dockerfile), `${path.relative(root, dockerfile)} is missing`).toBe(true);
  });

  it("the browser worker's entrypoint exists", () => {
    expect(
      existsSync(path.join(root, BrowserWorker.entrypoint)),
      `${BrowserWorker.entrypoint} is missing`,
    ).toBe(true);
  });

  it("every image in stacks/ takes its context and Dockerfile from names.ts", () => {
    for (const [name, source] of Object.entries(stacks)) {
      for (const node of nodes(source)) {
        if (!ts.isPropertyAssignment(node) || node.name.getText(source) !== "image") continue;
        const text = node.initializer.getText(source);
        expect(text, `stacks/${name}.ts`).toContain("BrowserWorker.context");
        expect(text, `stacks/${name}.ts`).toContain("BrowserWorker.dockerfile");
      }
    }
  });
});

describe("stacks", () => {
  it("builds every function from functionArgs, so handler, env and IAM come from the tested modules", () => {
    const constructed = Object.values(stacks).flatMap((source) =>
      news(source, "sst.aws.Function").map((n) => n.arguments?.[1]?.getText(source) ?? ""),
    );
    expect(constructed.length).toBeGreaterThan(0);
    for (const args of constructed) expect(args).toMatch(/^functionArgs\(/);
  });

  it("deploys every function names.ts lists", () => {
    const literal = Object.values(stacks).flatMap((source) =>
      calls(source, "functionArgs")
        .map((c) => c.arguments[0])
        .filter((a): a is ts.StringLiteral => a !== undefined && ts.isStringLiteral(a))
        .map((a) => a.text),
    );
    const mapped =
      stacks.workflow &&
      importsFrom(stacks.workflow, "@fg/core/infra/names").includes("WorkflowFunctionKeys");
    const deployed = new Set([...literal, ...(mapped ? WorkflowFunctionKeys : [])]);
    expect([...deployed].sort()).toEqual([...FunctionKeys].sort());
  });

  it("holds no inline IAM actions, handler paths, wildcards or state machine JSON", () => {
    for (const [name, source] of Object.entries(stacks)) {
      for (const text of stringLiterals(source)) {
        expect(text, `stacks/${name}.ts`).not.toMatch(/^[a-z0-9-]+:[A-Z*][A-Za-z*]*$/);
        expect(text, `stacks/${name}.ts`).not.toMatch(/^functions\//);
        expect(text, `stacks/${name}.ts`).not.toBe("*");
        expect(["StartAt", "States", "Resource"], `stacks/${name}.ts`).not.toContain(text);
      }
      expect(source.getFullText(), `stacks/${name}.ts`).not.toMatch(/\bStartAt\s*:/);
    }
  });

  it("takes the table from the core table definition", () => {
    expect(importsFrom(stacks.table!, "@fg/core/infra/table")).toContain("dynamoArgs");
    const [dynamo] = news(stacks.table!, "sst.aws.Dynamo");
    expect(dynamo?.arguments?.[1]?.getText(stacks.table!)).toMatch(/\.\.\.dynamoArgs\(\)/);
  });

  it("takes the state machine from the core ASL builder and its role from the IAM data", () => {
    const workflow = stacks.workflow!;
    expect(importsFrom(workflow, "@fg/core/workflow/definition")).toContain("workflowDefinition");
    expect(importsFrom(workflow, "@fg/core/infra/iam")).toEqual(
      expect.arrayContaining(["stateMachinePolicy", "policyDocument"]),
    );
    const [machine] = news(workflow, "aws.sfn.StateMachine");
    expect(machine?.arguments?.[1]?.getText(workflow)).toContain("$jsonStringify(definition)");
    expect(calls(workflow, "workflowDefinition")).toHaveLength(1);
  });

  it("takes every function's and the task's permissions, environment and links from the IAM and env data", () => {
    const runtime = stacks.runtime!;
    expect(importsFrom(runtime, "@fg/core/infra/iam")).toEqual(
      expect.arrayContaining(["policyFor", "linksFor"]),
    );
    expect(importsFrom(runtime, "@fg/core/infra/env")).toContain("environment");
    expect(calls(stacks.cluster!, "access").map((c) => c.arguments[0]?.getText(stacks.cluster!))).toEqual([
      '"browserTask"',
    ]);
  });

  it("wraps the Stripe secret in sst.Linkable, not sst.Secret", () => {
    const all = Object.values(stacks);
    expect(all.flatMap((s) => news(s, "sst.Secret"))).toEqual([]);
    expect(news(stacks.secrets!, "sst.Linkable")).toHaveLength(1);
  });
});
