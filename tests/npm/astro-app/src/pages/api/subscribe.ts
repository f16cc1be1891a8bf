// The signup endpoint (SPEC section 5): JSON from the widget, a form post without script.
import type { APIRoute } from "astro";
import { signups } from "../../signups";

export const prerender = false;

export const POST: APIRoute = async ({ request }) => {
  if ((request.headers.get("content-type") ?? "").startsWith("application/json")) {
    signups.push({ ...(await request.json()), via: "json", key: request.headers.get("idempotency-key") });
    return Response.json({ status: "pending" }, { status: 202 });
  }
  signups.push({ ...Object.fromEntries((await request.formData()).entries()), via: "form" });
  return new Response("<!doctype html><title>Check your inbox</title><p>Check your inbox to confirm.</p>", {
    status: 202,
    headers: { "Content-Type": "text/html; charset=utf-8" },
  });
};

export const GET: APIRoute = () => Response.json(signups);
