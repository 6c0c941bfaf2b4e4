import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  Account,
  Actor,
  Config,
  Credential,
  Job,
  JobEvent,
  LocalVault,
  log,
  MasterKeys,
  Secrets,
  serializeError,
  Vault,
} from "../../src/index.ts";
import { filesUnder, findLeaks, scanTable } from "./scan.ts";

describe("local store hygiene", () => {
  it("leaves no secret value in any DynamoDB item or any file under $FG_HOME", async () => {
    const unique = randomBytes(6).toString("hex");
    const values = {
      apiKey: `nmb_live_${unique}_apikey`,
      password: `Pw!${unique}-correct-horse`,
      totp: `JBSWY3DPEHPK3PXP${unique.toUpperCase()}`,
      card: JSON.stringify({ number: "4000056655665556", expiry: "12/31", cvc: "737", name: "Ada Lovelace" }),
      session: JSON.stringify({ cookies: [{ name: "sid", value: `sess-${unique}` }] }),
      mail: `Your code is 48${unique.slice(0, 4)} — https://relay.example/verify?token=tok-${unique}`,
      credential: `rm_live_${unique}_credential`,
    };
    const { account } = await Account.signup({ email: `hygiene-${unique}@example.com` });
    const vault = new LocalVault();
    Vault.configure(vault);

    await Actor.system("hygiene scenario", account.id, async () => {
      const job = await Job.create({
        vendor: "relay-mail",
        goal: "api_key",
        maxSpend: { amount: 1500, currency: "usd" },
      });
      const refs = [
        await vault.put({ kind: "api_key", value: values.apiKey, vendor: "nimbus-db", label: "key" }),
        await vault.put({ kind: "password", value: values.password, vendor: "relay-mail", jobId: job.id }),
        await vault.put({ kind: "totp_seed", value: values.totp, vendor: "relay-mail" }),
        await vault.put({ kind: "card", value: values.card, jobId: job.id }),
        await vault.put({ kind: "session_state", value: values.session, jobId: job.id }),
        await vault.put({ kind: "other", value: values.mail, jobId: job.id, label: "email" }),
      ];
      const registry = Secrets.forJob(job.id);
      registry.register("CARD_NUMBER", "4000056655665556");
      registry.register("CARDHOLDER_NAME", "Ada Lovelace");
      const credential = await Credential.store({
        jobId: job.id,
        vendor: "relay-mail",
        kind: "api_key",
        label: "production",
        value: values.credential,
      });
      await Credential.reveal({ id: credential.id, reason: "hygiene" });
      for (const { ref } of refs) await vault.get(ref, { reason: "hygiene read" });
      await JobEvent.append({
        jobId: job.id,
        type: "agent.action",
        data: {
          typed: values.password,
          card: "4000 0566 5566 5556",
          found: values.credential,
          mail: values.mail,
          error: serializeError(new Error(`failed with ${values.apiKey}`, { cause: new Error(values.totp) })),
        },
      });
      await Job.transition({
        id: job.id,
        to: "failed",
        failure: { code: "agent.failed", message: Secrets.redact(`vendor said ${values.credential}`) },
      });
      log.debug("hygiene", { values });
      await vault.delete(refs[3]!.ref, { reason: "job ended" });
    });
    await Actor.system("rotate", undefined, () => vault.rotateMasterKey());

    const items = await scanTable();
    expect(items.length).toBeGreaterThan(10);
    const home = path.resolve(Config.get().FG_HOME);
    const files = filesUnder(home);
    expect(files).toContain(path.join(home, "master.key"));

    expect(await findLeaks(Object.values(values), [home])).toEqual([]);
    const itemText = items.map((item) => JSON.stringify(item)).join("\n");
    const fileContents = files.map((file) => ({ file, text: readFileSync(file).toString("utf8") }));
    const fileText = fileContents.map((f) => f.text).join("\n");
    for (const digits of ["4000056655665556", "4000 0566 5566 5556"]) {
      expect(itemText).not.toContain(digits);
      expect(fileText).not.toContain(digits);
    }

    const masterKey = MasterKeys.load().current.key;
    for (const form of [masterKey.toString("base64"), masterKey.toString("hex")]) {
      expect(itemText).not.toContain(form);
      for (const { file, text } of fileContents) {
        if (file !== path.join(home, "master.key")) expect(text).not.toContain(form);
      }
    }
  });
});
