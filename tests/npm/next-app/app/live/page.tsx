// Rendered at request time: connection() makes the page dynamic, inside <Suspense> as Cache
// Components require. A suspended boundary streams in hidden and a script shows it, so
// readers without script see the fallback only: prerender pages with cards where you can.
import { connection } from "next/server";
import { Suspense } from "react";
import { Tracked } from "./tracked";
import { story } from "../story";

async function Live() {
  await connection();
  return (
    <>
      <p id="rendered">{`rendered at ${Date.now()}`}</p>
      <Tracked article={story} />
    </>
  );
}

export default function Page() {
  return (
    <main>
      <h1>Request time</h1>
      <Suspense fallback={<p>loading</p>}>
        <Live />
      </Suspense>
    </main>
  );
}
