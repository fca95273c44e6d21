import { adminFetch } from "./http.ts";
import { readSse } from "./sse.ts";

/** The kinds of work a broker process queued for a lab (deploy-lab, reset-lab, destroy-lab…), in order, from its event log. */
export async function workKindsOf(brokerUrl: string, labId: string): Promise<string[]> {
  const response = await adminFetch(`${brokerUrl}/v1/events?type=work.queued&tail=1000&follow=false`);
  return (await readSse(response))
    .filter((message) => message.event !== "end")
    .map((message) => JSON.parse(message.data))
    .filter((event) => event.lab_id === labId)
    .map((event) => event.data.kind);
}
