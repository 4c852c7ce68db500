/**
 * Asks the mail relay whether it accepted a message, by our Message-ID. It resolves the one case
 * the outbox cannot decide alone: an attempt that died inside its SMTP transaction. With a lookup
 * the entry is marked sent (found) or sent again (not found): exactly once. Without one (a relay
 * that offers no such API) the outbox keeps its at-most-once rule and alerts staff.
 *
 * Mailpit's search API answers it (`message-id:` filter); it is the embedded default's relay.
 */
export type DeliveryLookup = (messageId: string) => Promise<boolean>;

export function mailpitDeliveryLookup(baseUrl: string, timeoutMs = 10_000): DeliveryLookup {
  const base = baseUrl.replace(/\/$/, '');
  return async (messageId) => {
    const bare = messageId.replace(/^<|>$/g, '');
    const url = `${base}/api/v1/search?limit=1&query=${encodeURIComponent(`message-id:${bare}`)}`;
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`delivery lookup answered HTTP ${res.status}`);
    const body = (await res.json()) as { messages_count?: number; messages?: { MessageID?: string }[] };
    // The filter is a LIKE on the lower-cased term: compare exactly here.
    return (body.messages ?? []).some((m) => m.MessageID?.toLowerCase() === bare.toLowerCase());
  };
}

/** The lookup MAIL_DELIVERY_LOOKUP_URL names, if any. */
export function deliveryLookupFromConfig(config: { MAIL_DELIVERY_LOOKUP_URL?: string }): DeliveryLookup | undefined {
  return config.MAIL_DELIVERY_LOOKUP_URL ? mailpitDeliveryLookup(config.MAIL_DELIVERY_LOOKUP_URL) : undefined;
}
