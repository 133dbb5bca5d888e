/**
 * A stand-in Docker Engine on a Unix socket that answers as Engine 29.0 does at the API's edge: the
 * `/_ping` a client negotiates its API version with, the version check of every versioned request,
 * `GET /version`, and the legacy builder's `POST /build` (a tiny answer, no image). It records
 * every request, so a test sees which API version a real client spoke and which builder it asked for.
 *
 * What Engine 29.0 answers, from moby/moby tag docker-v29.0.0:
 * - daemon/config/config.go l.61 `MaxAPIVersion = "1.52"`, l.66 `defaultMinAPIVersion = "1.44"`
 *   (docker-v29.3.0 lowered that default minimum to 1.40, its l.67, and raised the maximum).
 * - daemon/server/middleware/version.go l.69-82: every answer carries `Api-Version` (the maximum),
 *   `Ostype` and `Server`; a request for `/v<version>/...` below the minimum or above the maximum is
 *   refused with the messages of l.57-62, as `InvalidParameter` (400, daemon/server/httpstatus/
 *   status.go, written as `{"message": ...}` by daemon/server/server.go l.78).
 * - daemon/server/router/system/system_routes.go l.36-54: `/_ping` answers `OK` (nothing to a HEAD)
 *   with `Builder-Version` and `Swarm`.
 * - daemon/server/router/build/build_routes.go l.40: `POST /build` without `version=2` is the legacy
 *   builder, which daemon/builder/backend/backend.go l.55-69 still runs.
 */
import * as fs from "node:fs";
import * as http from "node:http";

/** What an Engine release answers about its API. */
export interface EngineApi {
  readonly version: string;
  readonly apiVersion: string;
  readonly minApiVersion: string;
}

/** Docker Engine 29.0.0 (moby/moby docker-v29.0.0 daemon/config/config.go l.61, l.66). */
export const ENGINE_29_0: EngineApi = {
  version: "29.0.0",
  apiVersion: "1.52",
  minApiVersion: "1.44",
};

/** One request the stand-in received. */
export interface EngineRequest {
  readonly method: string;
  /** Path without the version prefix and the query, e.g. `/build`. */
  readonly path: string;
  /** The `<version>` of `/v<version>/...`; undefined for an unversioned path such as `/_ping`. */
  readonly apiVersion?: string;
  readonly query: URLSearchParams;
  /** What the Engine answered with (400 for a refused version). */
  readonly status: number;
}

export interface StandInEngine {
  readonly socket: string;
  readonly requests: EngineRequest[];
  close(): Promise<void>;
}

/** `a < b` for API versions `major.minor`. */
export function apiLess(a: string, b: string): boolean {
  const [x, y] = [a, b].map((v) => v.split(".").map(Number));
  return x[0] < y[0] || (x[0] === y[0] && x[1] < y[1]);
}

/** Starts the stand-in on `socket` (removed first if it exists). */
export function standInEngine(
  socket: string,
  api: EngineApi = ENGINE_29_0,
): Promise<StandInEngine> {
  fs.rmSync(socket, { force: true });
  const requests: EngineRequest[] = [];
  const server = http.createServer((req, res) => {
    // The build context (a tar) and any other body are read and dropped.
    req.resume();
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://engine");
      const versioned = /^\/v(\d+\.\d+)(\/.*)$/.exec(url.pathname);
      const apiVersion = versioned?.[1];
      const route = versioned ? versioned[2] : url.pathname;
      const answer = (status: number, body: unknown, type = "application/json") => {
        requests.push({
          method: req.method ?? "",
          path: route,
          apiVersion,
          query: url.searchParams,
          status,
        });
        res.statusCode = status;
        res.setHeader("Content-Type", type);
        res.end(typeof body === "string" ? body : `${JSON.stringify(body)}\n`);
      };
      res.setHeader("Api-Version", api.apiVersion);
      res.setHeader("Ostype", "linux");
      res.setHeader("Server", `Docker/${api.version} (linux)`);
      const asked = apiVersion ?? api.apiVersion;
      if (apiLess(asked, api.minApiVersion)) {
        return answer(400, {
          message: `client version ${asked} is too old. Minimum supported API version is ${api.minApiVersion}, please upgrade your client to a newer version`,
        });
      }
      if (apiLess(api.apiVersion, asked)) {
        return answer(400, {
          message: `client version ${asked} is too new. Maximum supported API version is ${api.apiVersion}`,
        });
      }
      if (route === "/_ping") {
        res.setHeader("Builder-Version", "2");
        res.setHeader("Swarm", "inactive");
        return answer(200, req.method === "HEAD" ? "" : "OK", "text/plain; charset=utf-8");
      }
      if (route === "/version" && req.method === "GET") {
        return answer(200, {
          Version: api.version,
          ApiVersion: api.apiVersion,
          MinAPIVersion: api.minApiVersion,
          Os: "linux",
          Arch: "amd64",
        });
      }
      if (route === "/build" && req.method === "POST") {
        const id = "0".repeat(64);
        return answer(
          200,
          [
            { stream: "Step 1/1 : FROM scratch\n" },
            { aux: { ID: `sha256:${id}` } },
            { stream: `Successfully built ${id.slice(0, 12)}\n` },
          ]
            .map((m) => `${JSON.stringify(m)}\n`)
            .join(""),
        );
      }
      return answer(404, { message: "page not found" });
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(socket, () =>
      resolve({
        socket,
        requests,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
  });
}
