// The signup endpoint as a route handler (SPEC section 5): JSON from the widget, a form post
// from readers without script. Kept in memory for the test to read back.
import { signups } from "../signups/store";

export async function POST(request: Request) {
  const type = request.headers.get("content-type") ?? "";
  if (type.startsWith("application/json")) {
    const body = await request.json();
    signups.push({ ...body, via: "json", key: request.headers.get("idempotency-key") });
    return Response.json({ status: "pending" }, { status: 202 });
  }
  const form = Object.fromEntries((await request.formData()).entries());
  signups.push({ ...form, via: "form" });
  return new Response("<!doctype html><title>Check your inbox</title><p>Check your inbox to confirm.</p>", {
    status: 202,
    headers: { "Content-Type": "text/html; charset=utf-8" },
  });
}
