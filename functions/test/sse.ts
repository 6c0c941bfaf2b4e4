export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/** Reads server-sent events from a fetch response until `stop` says so or the stream ends. */
export async function readSse(res: Response, stop: (events: SseEvent[]) => boolean): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  const reader = res.body?.pipeThrough(new TextDecoderStream()).getReader();
  if (!reader) throw new Error("no body");
  let buffer = "";
  try {
    for (;;) {
      if (stop(events)) return events;
      const { value, done } = await reader.read();
      if (done) return events;
      buffer += value;
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: SseEvent = { data: "" };
        let isEvent = false;
        for (const line of block.split("\n")) {
          const [field, ...rest] = line.split(":");
          const value = rest.join(":").replace(/^ /, "");
          if (field === "id") event.id = value;
          if (field === "event") event.event = value;
          if (field === "data") {
            event.data += value;
            isEvent = true;
          }
        }
        if (isEvent) events.push(event);
        end = buffer.indexOf("\n\n");
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
