/**
 * Chapter 4 (catalog-book section 4): the echo-ip app and its four Dockerfiles, Docker on m-k8s, the
 * registry's certificate, trust and container, the push, and the deployments from the registry.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { folderHash } from "../components/imageBuilds";
import { certificateFingerprint } from "../components/privateRegistry";
import { PROJECT_DIR, Secret } from "../tools/mockRun";
import { changed, find, inputsOf, runStack, type StackRun, urnName } from "./harness";
import { shellcheck } from "./workdir";

const APP = path.join(PROJECT_DIR, "apps", "echo-ip");
const REMOTE = "command:remote:Command";
const CONTAINER = "docker:index/container:Container";

let base: StackRun;
beforeAll(async () => {
  base = await runStack({ stack: "ch4" });
});

describe("apps/echo-ip, the app of 4.3", () => {
  let server: ChildProcess | undefined;
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "echo-ip-"));
  afterAll(() => server?.kill());

  it("build-in-host.sh passes shellcheck", () => {
    expect(
      shellcheck("build-in-host.sh", fs.readFileSync(path.join(APP, "build-in-host.sh"), "utf8")),
    ).toBe("");
  });

  it("build-in-host.sh builds target/app-in-host.jar with the machine's JDK", () => {
    fs.cpSync(APP, copy, { recursive: true });
    const r = spawnSync("bash", [path.join(copy, "build-in-host.sh")], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(copy, "target", "app-in-host.jar"))).toBe(true);
  });

  it("answers `src: <client> / dest: <server>` over HTTP", async () => {
    const port = 18000 + Math.floor(Math.random() * 1000);
    server = spawn("java", ["-jar", path.join(copy, "target", "app-in-host.jar")], {
      env: { ...process.env, PORT: String(port) },
    });
    await new Promise<void>((resolve, reject) => {
      server?.stdout?.on("data", (d) => String(d).includes("listening") && resolve());
      server?.on("error", reject);
    });
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(await res.text()).toBe("src: 127.0.0.1 / dest: 127.0.0.1\n");
    // Asked by name, as `curl 192.168.56.10:60431` would: dest is that name, like getServerName().
    const named = await new Promise<string>((resolve, reject) => {
      http
        .get(
          { host: "127.0.0.1", port, path: "/anything", headers: { Host: "192.168.56.10:60431" } },
          (r) => {
            let body = "";
            r.on("data", (d) => {
              body += d;
            });
            r.on("end", () => resolve(body));
          },
        )
        .on("error", reject);
    });
    expect(named).toBe("src: 127.0.0.1 / dest: 192.168.56.10\n");
  });
});

describe("4.3.1-4.3.4: the four Dockerfiles", () => {
  const dockerfile = (style: string) =>
    fs.readFileSync(path.join(APP, `Dockerfile.${style}`), "utf8");
  const froms = (text: string) => [...text.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);

  it("basic: one JDK stage that copies the host-built jar; EXPOSE 60431", () => {
    const d = dockerfile("basic");
    expect(froms(d)).toEqual([expect.stringMatching(/^eclipse-temurin:21[\d._]*-jdk$/)]);
    expect(d).toContain("COPY ./target/app-in-host.jar /opt/app-in-image.jar");
    expect(d).toMatch(/^EXPOSE 60431$/m);
    expect(d).toContain('ENTRYPOINT [ "java", "-jar", "app-in-image.jar" ]');
  });

  it("optimal: the same jar in a distroless Java runtime; EXPOSE 60432", () => {
    const d = dockerfile("optimal");
    expect(froms(d)).toEqual([expect.stringMatching(/^gcr\.io\/distroless\/java\d+/)]);
    expect(d).toContain("COPY ./target/app-in-host.jar /opt/app-in-image.jar");
    expect(d).toMatch(/^EXPOSE 60432$/m);
  });

  it("nohost: built inside one JDK image, nothing from the host's target/; EXPOSE 60433", () => {
    const d = dockerfile("nohost");
    expect(froms(d)).toEqual([expect.stringMatching(/^eclipse-temurin:21[\d._]*-jdk$/)]);
    expect(d).toMatch(/^RUN .*build-in-host\.sh/m);
    expect(d).not.toContain("COPY ./target");
    expect(d).toMatch(/^EXPOSE 60433$/m);
  });

  it("multistage: a JDK build stage, then distroless with only the jar; EXPOSE 60434", () => {
    const d = dockerfile("multistage");
    expect(froms(d)).toEqual([
      expect.stringMatching(/^eclipse-temurin:21[\d._]*-jdk$/),
      expect.stringMatching(/^gcr\.io\/distroless\/java\d+/),
    ]);
    expect(d).toMatch(/^FROM \S+ AS int-build$/m);
    expect(d).toContain("COPY --from=int-build /src/target/app-in-host.jar /opt/app-in-image.jar");
    expect(d).toMatch(/^EXPOSE 60434$/m);
  });

  it("every base image names its version (no bare or latest tags)", () => {
    for (const style of ["basic", "optimal", "nohost", "multistage"]) {
      for (const image of froms(dockerfile(style))) {
        expect(image).not.toMatch(/:latest$/);
        expect(image).toMatch(/(:\S+|java\d+-debian\d+)/);
      }
    }
  });
});

describe("Docker on m-k8s", () => {
  it("Docker is installed on the master and reached over SSH with the stack's key", async () => {
    // Docker comes with the lab cluster (4.3.4; the stack `cluster`); the chapter reaches it over SSH.
    const cluster = await runStack({ stack: "cluster" });
    expect(inputsOf(find(cluster, REMOTE, "lab-docker")).create).toContain(
      "apt-get install -y -q docker-ce",
    );
    const provider = inputsOf(find(base, "pulumi:providers:docker", "m-k8s-docker"));
    // Through Vagrant's forwarded SSH port (the book's 60010), refusing any other host key.
    expect(provider.host).toBe("ssh://root@127.0.0.1:60010");
    expect(JSON.parse(provider.sshOpts)).toEqual(
      expect.arrayContaining([
        "-i",
        ".lab/ch4/ssh/id_ed25519",
        "IdentitiesOnly=yes",
        "StrictHostKeyChecking=yes",
        "UserKnownHostsFile=.lab/ch4/ssh/known_hosts",
      ]),
    );
    const known = inputsOf(find(base, "command:local:Command", "m-k8s-known-hosts"));
    expect(known.stdin).toMatch(/^\[127\.0\.0\.1\]:60010 ssh-ed25519 [A-Za-z0-9+/=]+\n$/);
    const key = find(base, "command:local:Command", "m-k8s-ssh-key-file");
    expect(inputsOf(key).create).toBe("node host/vm.js write-key .lab/ch4/ssh/id_ed25519");
    expect(key.inputs.stdin).toBeInstanceOf(Secret);
    // The root key of the cluster's nodes, as the cluster's stack exports it.
    expect(String(inputsOf(key).stdin)).toMatch(/BEGIN OPENSSH PRIVATE KEY/);
  });

  it("4.2: nginx-exposed 8080:80, restart always", () => {
    const c = inputsOf(find(base, CONTAINER, "nginx-exposed"));
    expect(c).toMatchObject({
      name: "nginx-exposed",
      restart: "always",
      ports: [{ internal: 80, external: 8080 }],
    });
  });

  it("4.2.3: nginx-bind-mounts 8081:80 serving /root/html, where the book's page is written", () => {
    const c = inputsOf(find(base, CONTAINER, "nginx-bind-mounts"));
    expect(c.ports).toEqual([expect.objectContaining({ internal: 80, external: 8081 })]);
    expect(c.volumes).toEqual([
      expect.objectContaining({ hostPath: "/root/html", containerPath: "/usr/share/nginx/html" }),
    ]);
    const page = inputsOf(find(base, REMOTE, "bind-mount-page"));
    expect(page.create).toMatch(/^export TARGET=\/root\/html\/index\.html /);
    expect(page.delete).toMatch(/^export TARGET=\/root\/html\/index\.html\n/);
    expect(page.stdin).toContain("Bind Mount");
  });

  it("4.2.3: docker volume nginx-volume and container nginx-volume 8082:80 on it", () => {
    expect(inputsOf(find(base, "docker:index/volume:Volume", "nginx-volume")).name).toBe(
      "nginx-volume",
    );
    const c = inputsOf(find(base, CONTAINER, "nginx-volume"));
    expect(c.ports).toEqual([expect.objectContaining({ internal: 80, external: 8082 })]);
    expect(c.volumes).toEqual([
      expect.objectContaining({
        volumeName: "nginx-volume",
        containerPath: "/usr/share/nginx/html",
      }),
    ]);
    expect(c.uploads[0].file).toBe("/usr/share/nginx/html/index.html");
  });

  it("4.3: basic-img, optimal-img, nohost-img, multistage-img built on m-k8s, each run on 6043x:80", () => {
    const styles = {
      "basic-img": "basic",
      "optimal-img": "optimal",
      "nohost-img": "nohost",
      "multistage-img": "multistage",
    };
    const hostBuild = find(base, REMOTE, "echo-ip-build-in-host");
    // Every image carries the source's content tag besides the book's name.
    const contentTag = folderHash("apps/echo-ip").slice(0, 12);
    for (const [i, [tag, style]] of Object.entries(styles).entries()) {
      const build = find(base, REMOTE, `echo-ip-${tag}`);
      expect(inputsOf(build).create).toMatch(
        new RegExp(
          `^export SOURCE_DIR=/root/echo-ip IMAGE=${tag}:${contentTag} BOOK_NAME=${tag} DOCKERFILE=Dockerfile\\.${style}\\n`,
        ),
      );
      expect(inputsOf(build).create).toContain('docker build -t "$IMAGE" -f "$DOCKERFILE" .');
      expect(inputsOf(build).connection.port).toBe(60010);
      expect(build.dependsOn.includes(hostBuild.urn)).toBe(
        style === "basic" || style === "optimal",
      );
      const run = inputsOf(find(base, CONTAINER, `${style}-run`));
      expect(run).toMatchObject({
        image: `${tag}:${contentTag}`,
        restart: "always",
        ports: [{ internal: 80, external: 60431 + i }],
      });
    }
    const copy = inputsOf(find(base, "command:remote:CopyToRemote", "echo-ip-source"));
    expect(copy.remotePath).toBe("/root/echo-ip");
  });
});

describe("4.4.2 레지스트리 구성하기", () => {
  it("the certificate: RSA 4096, 365 days, the book's subject, SANs m-k8s and the master's address", () => {
    expect(inputsOf(find(base, "tls:index/privateKey:PrivateKey", "registry-key"))).toMatchObject({
      algorithm: "RSA",
      rsaBits: 4096,
    });
    const cert = inputsOf(find(base, "tls:index/selfSignedCert:SelfSignedCert", "registry-cert"));
    expect(cert.subject).toEqual({
      country: "KR",
      province: "SEOUL",
      locality: "SEOUL",
      organization: "gilbut",
      organizationalUnit: "Book_k8sInfra",
      commonName: "192.168.56.10",
    });
    expect(cert.dnsNames).toEqual(["m-k8s"]);
    expect(cert.ipAddresses).toEqual(["192.168.56.10"]);
    expect(cert.validityPeriodHours).toBe(365 * 24);
    // tls.csr [v3_req] in the TLS provider's names (terraform-provider-tls common_cert.go).
    expect(cert.allowedUses).toEqual(["key_encipherment", "data_encipherment", "server_auth"]);
  });

  it("registry:2, restart always, 8443 -> 443, the book's environment, /registry-image, certificates read-only", () => {
    expect(
      inputsOf(find(base, "docker:index/remoteImage:RemoteImage", "registry-image")).name,
    ).toBe("registry:2");
    const c = inputsOf(find(base, CONTAINER, "registry-container"));
    expect(c).toMatchObject({
      name: "registry",
      restart: "always",
      ports: [{ internal: 443, external: 8443 }],
    });
    expect(c.envs).toEqual([
      "REGISTRY_HTTP_ADDR=0.0.0.0:443",
      "REGISTRY_HTTP_TLS_CERTIFICATE=/docker-in-certs/tls.crt",
      "REGISTRY_HTTP_TLS_KEY=/docker-in-certs/tls.key",
    ]);
    expect(c.volumes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          hostPath: "/etc/docker/certs",
          containerPath: "/docker-in-certs",
          readOnly: true,
        }),
        expect.objectContaining({
          hostPath: "/registry-image",
          containerPath: "/var/lib/registry",
        }),
      ]),
    );
    const files = find(base, REMOTE, "registry-certificate");
    expect(files.inputs.stdin).toBeInstanceOf(Secret);
    expect(inputsOf(files).create).toMatch(
      /^export CERT_DIR=\/etc\/docker\/certs DATA_DIR=\/registry-image\n/,
    );
    // Destroying the chapter takes its registry's certificate, key and images.
    expect(inputsOf(files).delete).toContain('rm -rf "$DATA_DIR"');
  });

  it("every node trusts it: containerd certs.d everywhere, Docker's certs.d on m-k8s", () => {
    const certPem = find(base, "tls:index/selfSignedCert:SelfSignedCert", "registry-cert").outputs
      .certPem;
    for (const node of ["m-k8s", "w1-k8s", "w2-k8s", "w3-k8s"]) {
      const t = inputsOf(find(base, REMOTE, `registry-trust-${node}`));
      expect(t.stdin).toBe(certPem);
      expect(t.create).toMatch(
        new RegExp(
          `^export REGISTRY=192\\.168\\.56\\.10:8443 TRUST_DOCKER=${node === "m-k8s" ? "yes" : "no"}\\n`,
        ),
      );
      expect(t.create).toContain('dir="/etc/containerd/certs.d/$REGISTRY"');
      expect(t.delete).toMatch(/^export REGISTRY=192\.168\.56\.10:8443\n/);
    }
  });

  it("a new certificate is sent to every node again and restarts the registry", () => {
    // The certificate is the input of every trust step and labels the container (docker replaces it).
    const fingerprint = String(
      base.outputs.registry && (base.outputs.registry as { fingerprint: string }).fingerprint,
    );
    const label = inputsOf(find(base, CONTAINER, "registry-container")).labels[0];
    expect(label).toEqual({ label: "k8sinfra-lab/certificate", value: fingerprint });
  });

  it("multistage-img is tagged and pushed to 192.168.56.10:8443/multistage-img", () => {
    const push = find(base, REMOTE, "push-multistage-img");
    const contentTag = folderHash("apps/echo-ip").slice(0, 12);
    // Under its content tag (what the workloads run) and, as the book pushes it, its bare name.
    expect(inputsOf(push).create).toMatch(
      new RegExp(
        `^export IMAGE=multistage-img:${contentTag} TARGET=192\\.168\\.56\\.10:8443/multistage-img:${contentTag} LATEST=192\\.168\\.56\\.10:8443/multistage-img\\n`,
      ),
    );
    expect(inputsOf(push).create).toContain('docker push "$TARGET"');
    expect(inputsOf(push).create).toContain('docker push "$LATEST"');
    expect(push.dependsOn).toEqual(
      expect.arrayContaining([
        find(base, CONTAINER, "registry-container").urn,
        find(base, REMOTE, "echo-ip-multistage-img").urn,
      ]),
    );
  });

  it("outputs: the registry URL, its catalog, the certificate and its fingerprint", () => {
    expect(base.outputs.registry).toMatchObject({
      url: "https://192.168.56.10:8443",
      catalog: "https://192.168.56.10:8443/v2/_catalog",
      pushed: `192.168.56.10:8443/multistage-img:${folderHash("apps/echo-ip").slice(0, 12)}`,
    });
    const { certificate, fingerprint } = base.outputs.registry as {
      certificate: string;
      fingerprint: string;
    };
    expect(certificate).toMatch(/BEGIN CERTIFICATE/);
    expect(fingerprint).toBe(certificateFingerprint(certificate));
  });

  it("the fingerprint is what openssl prints for the certificate", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fp-"));
    const r = spawnSync("openssl", [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-subj",
      "/CN=test",
      "-keyout",
      path.join(dir, "k"),
      "-out",
      path.join(dir, "c"),
      "-days",
      "1",
    ]);
    expect(r.status).toBe(0);
    const out = spawnSync(
      "openssl",
      ["x509", "-in", path.join(dir, "c"), "-noout", "-fingerprint", "-sha256"],
      { encoding: "utf8" },
    );
    expect(out.stdout.trim().split("=")[1]).toBe(
      certificateFingerprint(fs.readFileSync(path.join(dir, "c"), "utf8")),
    );
  });
});

describe("4.4.3 직접 만든 이미지로 컨테이너 구동하기", () => {
  it("success2: 3 replicas of 192.168.56.10:8443/multistage-img, after the push and the trust", () => {
    const d = find(base, "kubernetes:apps/v1:Deployment", "success2");
    expect(inputsOf(d).spec.replicas).toBe(3);
    // The content tag: an edited app is a new image, and success2 rolls out to it.
    expect(inputsOf(d).spec.template.spec.containers).toEqual([
      {
        name: "multistage-img",
        image: `192.168.56.10:8443/multistage-img:${folderHash("apps/echo-ip").slice(0, 12)}`,
      },
    ]);
    expect(d.dependsOn).toEqual(
      expect.arrayContaining([
        find(base, REMOTE, "push-multistage-img").urn,
        find(base, REMOTE, "registry-trust-w3-k8s").urn,
      ]),
    );
  });
});

describe("4.4.1 쿠버네티스에서 직접 만든 이미지 사용하기 (opt-in)", () => {
  it("off by default", () => {
    expect(base.resources.some((r) => ["failure1", "failure2", "success1"].includes(r.name))).toBe(
      false,
    );
  });

  it("lab:ch4.failureLabs true adds failure1, failure2 and success1, which pulumi up does not wait for", async () => {
    const on = await runStack({ stack: "ch4", config: { "lab:ch4.failureLabs": "true" } });
    const dep = (name: string) => inputsOf(find(on, "kubernetes:apps/v1:Deployment", name));
    expect(dep("failure1").spec.template.spec.containers[0]).toEqual({
      name: "multistage-img",
      image: "multistage-img",
    });
    expect(dep("failure2").spec.template.spec.containers[0].imagePullPolicy).toBe("Never");
    expect(dep("success1").spec.replicas).toBe(3);
    expect(dep("success1").spec.template.spec.containers[0].imagePullPolicy).toBe("Never");
    for (const name of ["failure1", "failure2", "success1"]) {
      expect(dep(name).metadata.annotations).toEqual({ "pulumi.com/skipAwait": "true" });
    }
    const onW3 = inputsOf(find(on, REMOTE, "image-on-w3-k8s"));
    expect(onW3.connection.port).toBe(60103);
    expect(onW3.create).toMatch(
      /^export SOURCE=192\.168\.56\.10:8443\/multistage-img:[0-9a-f]{12} LOCAL_NAME=docker\.io\/library\/multistage-img:latest\n/,
    );
    expect(onW3.delete).toContain('ctr -n k8s.io images rm "$LOCAL_NAME" "$SOURCE"');
    expect(
      changed(base, on)
        .map(urnName)
        .filter((n) => n.startsWith("kubernetes:"))
        .sort(),
    ).toEqual(
      ["failure1", "failure2", "success1"].map((n) => `kubernetes:apps/v1:Deployment::${n}`),
    );
  });

  it("chapter 4 needs the lab cluster's master", async () => {
    await expect(
      runStack({ stack: "ch4", config: { "lab:cluster.mode": "kubeconfig" } }),
    ).rejects.toThrow(
      /lab:cluster\.mode: chapter ch4 builds on the lab cluster's master, so it needs vagrant/,
    );
  });
});
