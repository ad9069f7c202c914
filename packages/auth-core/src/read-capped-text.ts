/**
 * The body of `response` as UTF-8 text, read chunk by chunk: `undefined` as soon as it passes
 * `maxBytes`, without reading the rest. When `signal` aborts, the read stops with its reason.
 * Either way the body is cancelled, so a body that is endless or stalls costs nothing more.
 */
export async function readCappedText(response: Response, maxBytes: number, signal?: AbortSignal): Promise<string | undefined> {
  if (response.body === null) return "";
  const reader = response.body.getReader();
  // Not awaited: a source whose cancel() never settles must not hold us up.
  const stop = () => void reader.cancel(signal?.reason).catch(() => {});
  signal?.addEventListener("abort", stop);
  const decoder = new TextDecoder();
  let text = "";
  try {
    for (let left = maxBytes; ; ) {
      signal?.throwIfAborted();
      const { done, value } = await reader.read();
      // An abort cancels the reader, which ends a pending read as if the body were complete.
      signal?.throwIfAborted();
      if (done) return text + decoder.decode();
      if ((left -= value.byteLength) < 0) return undefined;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    signal?.removeEventListener("abort", stop);
    stop();
  }
}
