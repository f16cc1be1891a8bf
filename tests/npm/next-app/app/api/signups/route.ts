import { connection } from "next/server";
import { signups } from "./store";

export async function GET() {
  await connection();
  return Response.json(signups);
}
