import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { nodeStep } from "../lib/nodeStep";
import * as scripts from "../lib/scripts";

/** One image to build. */
export interface ImageSpec {
  /** The book's name of the image (`docker build -t <tag>`), e.g. `multistage-img`. */
  readonly tag: string;
  /** Dockerfile in the source folder. */
  readonly dockerfile: string;
  /** Whether the jar must be built on the host first (the book's basic and optimal images). */
  readonly needsHostBuild: boolean;
}

/** Arguments of an `ImageBuilds`. */
export interface ImageBuildsArgs {
  /** How to log in to the node that runs Docker, as root. */
  readonly connection: command.types.input.remote.ConnectionArgs;
  /** The app's source folder in this project, e.g. `apps/echo-ip`. */
  readonly source: string;
  /** Where the source is copied on the node. */
  readonly remoteDir: string;
  readonly images: readonly ImageSpec[];
  /** Docker must run first. */
  readonly dependsOn: readonly pulumi.Resource[];
}

/** A hash of every file in a folder, so that an edited source rebuilds the images. */
export function folderHash(dir: string): string {
  const hash = createHash("sha256");
  const walk = (d: string) => {
    for (const entry of fs
      .readdirSync(d, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "target") walk(full);
      } else {
        hash.update(path.relative(dir, full)).update(fs.readFileSync(full));
      }
    }
  };
  walk(dir);
  return hash.digest("hex");
}

/**
 * Image builds on the master as the book's 4.3 and KiA chapter 2 do them: the source copied there,
 * a jar built on the host where a style needs it (`build-in-host.sh`), then one `docker build` per
 * image. Each image is tagged with a hash of the source besides the book's bare name: an edited
 * source is a new tag, so every container and workload that runs it is replaced or rolled out, and
 * the old build's removal takes only its own tag.
 */
export class ImageBuilds extends pulumi.ComponentResource {
  /** The resource that builds each image, by the book's name. */
  public readonly images: Readonly<Record<string, command.remote.Command>>;
  /** `<name>:<source hash>` of each image, by the book's name: what containers and pushes use. */
  public readonly refs: Readonly<Record<string, string>>;
  /** The content tag (the first 12 hex digits of the source's hash). */
  public readonly contentTag: string;

  constructor(name: string, args: ImageBuildsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("k8sinfra:docker:ImageBuilds", name, {}, opts);
    const sourceHash = folderHash(args.source);
    this.contentTag = sourceHash.slice(0, 12);
    this.refs = Object.fromEntries(args.images.map((i) => [i.tag, `${i.tag}:${this.contentTag}`]));
    const copy = new command.remote.CopyToRemote(
      `${name}-source`,
      {
        connection: args.connection,
        source: new pulumi.asset.FileArchive(args.source),
        remotePath: args.remoteDir,
        triggers: [sourceHash],
      },
      { parent: this, dependsOn: [...args.dependsOn] },
    );
    // CopyToRemote removes nothing: the copied source goes with the stack by a step of its own.
    nodeStep(
      `${name}-source-folder`,
      { connection: args.connection, delete: scripts.removeFolder(args.remoteDir) },
      { parent: this, dependsOn: [copy] },
    );
    // Only the book's basic and optimal images copy a jar built on the host first.
    const hostBuild = args.images.some((i) => i.needsHostBuild)
      ? nodeStep(
          `${name}-build-in-host`,
          {
            connection: args.connection,
            create: scripts.buildInHost(args.remoteDir),
            triggers: [sourceHash],
          },
          { parent: this, dependsOn: [copy] },
        )
      : undefined;
    this.images = Object.fromEntries(
      args.images.map((image) => [
        image.tag,
        nodeStep(
          `${name}-${image.tag}`,
          {
            connection: args.connection,
            create: scripts.dockerBuild(
              args.remoteDir,
              this.refs[image.tag],
              image.tag,
              image.dockerfile,
            ),
            delete: scripts.dockerRemoveImage(this.refs[image.tag], image.tag),
            triggers: [sourceHash],
          },
          { parent: this, dependsOn: image.needsHostBuild && hostBuild ? [hostBuild] : [copy] },
        ),
      ]),
    );
    this.registerOutputs({ images: this.refs });
  }
}
