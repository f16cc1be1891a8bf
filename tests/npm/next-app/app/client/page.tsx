import { Card } from "./card";

export default function Page() {
  return (
    <main>
      <h1>Client component</h1>
      <Card />
    </main>
  );
}
