import { lookup } from "node:dns/promises";
import net from "node:net";

export type AddressClass = "public" | "loopback" | "private" | "link_local" | "metadata" | "reserved";

const METADATA_HOSTS = new Set([
  "metadata.google.internal",
  "metadata",
  "instance-data",
  "instance-data.ec2.internal",
]);
const METADATA_ADDRESSES = new Set([
  "169.254.169.254",
  "169.254.170.2",
  "168.63.129.16",
  "100.100.100.200",
  "fd00:ec2::254",
]);

function ipv4ToInt(ip: string): number {
  return ip.split(".").reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
}

function inV4(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/") as [string, string];
  const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return (ipv4ToInt(ip) & mask) === (ipv4ToInt(base) & mask);
}

function classifyV4(ip: string): AddressClass {
  if (METADATA_ADDRESSES.has(ip)) return "metadata";
  if (inV4(ip, "127.0.0.0/8")) return "loopback";
  if (inV4(ip, "169.254.0.0/16")) return "link_local";
  if (["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].some((c) => inV4(ip, c))) {
    return "private";
  }
  if (
    [
      "0.0.0.0/8",
      "192.0.0.0/24",
      "192.0.2.0/24",
      "198.18.0.0/15",
      "198.51.100.0/24",
      "203.0.113.0/24",
      "224.0.0.0/3",
    ].some((c) => inV4(ip, c))
  ) {
    return "reserved";
  }
  return "public";
}

function expandV6(ip: string): number[] {
  const [head, tail] = ip.split("::") as [string, string | undefined];
  const parse = (s: string) => (s ? s.split(":") : []);
  let headParts = parse(head);
  let tailParts = tail === undefined ? [] : parse(tail);
  const last = (tailParts.length ? tailParts : headParts).at(-1) ?? "";
  const embedded: string[] = [];
  if (last.includes(".")) {
    const n = ipv4ToInt(last);
    embedded.push(((n >>> 16) & 0xffff).toString(16), (n & 0xffff).toString(16));
    if (tailParts.length) tailParts = [...tailParts.slice(0, -1), ...embedded];
    else headParts = [...headParts.slice(0, -1), ...embedded];
  }
  const fill = 8 - headParts.length - tailParts.length;
  const groups = [...headParts, ...Array(tail === undefined ? 0 : fill).fill("0"), ...tailParts];
  return groups.map((g) => Number.parseInt(g, 16) || 0);
}

function classifyV6(ip: string): AddressClass {
  const lower =
    ip
      .toLowerCase()
      .replace(/^\[|\]$/g, "")
      .split("%")[0] ?? "";
  if (METADATA_ADDRESSES.has(lower)) return "metadata";
  const g = expandV6(lower);
  if (g.every((x, i) => (i < 7 ? x === 0 : x === 1))) return "loopback";
  if (g.every((x) => x === 0)) return "reserved";
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    return classifyV4(`${g[6]! >> 8}.${g[6]! & 0xff}.${g[7]! >> 8}.${g[7]! & 0xff}`);
  }
  if (g[0] === 0x64 && g[1] === 0xff9b) {
    return classifyV4(`${g[6]! >> 8}.${g[6]! & 0xff}.${g[7]! >> 8}.${g[7]! & 0xff}`);
  }
  if (g[0] === 0xfd00 && g[1] === 0x0ec2) return "metadata";
  if ((g[0]! & 0xfe00) === 0xfc00) return "private";
  if ((g[0]! & 0xffc0) === 0xfe80) return "link_local";
  if ((g[0]! & 0xff00) === 0xff00) return "reserved";
  return "public";
}

/** Classifies one literal IP address. */
export function classifyAddress(ip: string): AddressClass {
  const bare = ip.replace(/^\[|\]$/g, "");
  if (net.isIPv4(bare)) return classifyV4(bare);
  if (net.isIPv6(bare.split("%")[0] ?? "")) return classifyV6(bare);
  return "reserved";
}

export interface GuardVerdict {
  allowed: boolean;
  reason?: string;
}

export interface SsrfGuardOptions {
  allowLoopback: boolean;
  resolve?: (host: string) => Promise<string[]>;
}

const defaultResolve = async (host: string) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Decides whether the browser may fetch a URL. Host names are resolved first and every address they
 * resolve to must be public, so a public name pointing at 10.0.0.1 or 169.254.169.254 is refused too.
 */
export function createSsrfGuard(options: SsrfGuardOptions) {
  const resolve = options.resolve ?? defaultResolve;
  const cache = new Map<string, Promise<GuardVerdict>>();

  function verdictFor(cls: AddressClass, host: string): GuardVerdict {
    if (cls === "public") return { allowed: true };
    if (cls === "loopback" && options.allowLoopback) return { allowed: true };
    return { allowed: false, reason: `${host} is a ${cls.replace("_", "-")} address` };
  }

  async function checkHost(host: string): Promise<GuardVerdict> {
    const bare = host
      .replace(/^\[|\]$/g, "")
      .toLowerCase()
      .replace(/\.$/, "");
    if (METADATA_HOSTS.has(bare)) return { allowed: false, reason: `${bare} is a metadata host` };
    if (net.isIP(bare.split("%")[0] ?? "")) return verdictFor(classifyAddress(bare), bare);
    if (bare === "localhost" || bare.endsWith(".localhost")) return verdictFor("loopback", bare);
    let addresses: string[];
    try {
      addresses = await resolve(bare);
    } catch {
      return { allowed: false, reason: `${bare} does not resolve` };
    }
    if (addresses.length === 0) return { allowed: false, reason: `${bare} does not resolve` };
    for (const address of addresses) {
      const verdict = verdictFor(classifyAddress(address), `${bare} (${address})`);
      if (!verdict.allowed) return verdict;
    }
    return { allowed: true };
  }

  return {
    async check(rawUrl: string): Promise<GuardVerdict> {
      let url: URL;
      try {
        url = new URL(rawUrl);
      } catch {
        return { allowed: false, reason: "not a URL" };
      }
      if (["data:", "blob:", "about:"].includes(url.protocol)) return { allowed: true };
      if (!["http:", "https:", "ws:", "wss:"].includes(url.protocol)) {
        return { allowed: false, reason: `${url.protocol} URLs are not allowed` };
      }
      if (url.username || url.password)
        return { allowed: false, reason: "URLs with credentials are not allowed" };
      let pending = cache.get(url.hostname);
      if (!pending) {
        pending = checkHost(url.hostname);
        cache.set(url.hostname, pending);
      }
      return pending;
    },
  };
}

export type SsrfGuard = ReturnType<typeof createSsrfGuard>;
