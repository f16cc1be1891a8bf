import { Card } from "./card";

export default function Page() {
  return (
    <main>
      <h1>En français</h1>
      <Card />
    </main>
  );
}
