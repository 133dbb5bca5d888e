// The kubia app of Kubernetes in Action, chapter 2: every request is logged and answered with the
// name of the host (the pod) that served it.
const http = require("node:http");
const os = require("node:os");

console.log("Kubia server starting...");

const handler = (request, response) => {
  console.log(`Received request from ${request.socket.remoteAddress}`);
  response.writeHead(200);
  response.end(`You've hit ${os.hostname()}\n`);
};

// 8080 as in the book (`docker run -p 8080:8080`); PORT overrides it.
const port = Number(process.env.PORT ?? 8080);
http.createServer(handler).listen(port, () => console.log(`kubia listening on port ${port}`));
