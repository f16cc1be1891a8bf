// A small SMTP server for the tests: enough of RFC 5321 for a client that sends plain mail
// (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), keeping what it receives. It can be stopped
// and started again on the same port, to play an SMTP outage.
import { createServer } from "node:net";

export async function smtpServer() {
  const messages = [];
  const sockets = new Set();
  let server = null;
  let port = 0;

  function session(socket) {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    socket.setEncoding("utf8");
    let buffer = "";
    let envelope = { from: null, to: [] };
    let data = null; // the lines of a message being received
    const reply = (line) => socket.write(`${line}\r\n`);
    reply("220 test-smtp ESMTP");
    socket.on("data", (chunk) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data) {
          if (line === ".") {
            messages.push({ from: envelope.from, to: envelope.to, data: data.join("\r\n") });
            envelope = { from: null, to: [] };
            data = null;
            reply("250 2.0.0 queued");
          } else {
            data.push(line.startsWith("..") ? line.slice(1) : line);
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") reply("250 test-smtp");
        else if (verb === "MAIL") {
          envelope.from = line.match(/<([^>]*)>/)?.[1] ?? null;
          reply("250 2.1.0 ok");
        } else if (verb === "RCPT") {
          envelope.to.push(line.match(/<([^>]*)>/)?.[1] ?? "");
          reply("250 2.1.5 ok");
        } else if (verb === "DATA") {
          data = [];
          reply("354 end with <CR><LF>.<CR><LF>");
        } else if (verb === "RSET") {
          envelope = { from: null, to: [] };
          reply("250 2.0.0 ok");
        } else if (verb === "NOOP") reply("250 2.0.0 ok");
        else if (verb === "QUIT") {
          reply("221 2.0.0 bye");
          socket.end();
        } else reply("502 5.5.2 not implemented");
      }
    });
  }

  async function start() {
    server = createServer(session);
    await new Promise((ok, fail) => server.once("error", fail).listen(port, "127.0.0.1", ok));
    port = server.address().port;
  }

  async function stop() {
    for (const socket of sockets) socket.destroy();
    await new Promise((ok) => server.close(ok));
  }

  await start();
  return { messages, port: () => port, start, stop };
}
