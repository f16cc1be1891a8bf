// The scaffold's layout without next/font/google, which fetches fonts at build time.
import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = { title: "article-embed in Next.js" };

export default function RootLayout({ children }: LayoutProps<"/">) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
