import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as scripts from "../lib/scripts";

/** One image to build. */
export interface ImageSpec {
  /** `docker build -t <tag>`. */
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
 * image. Editing the source rebuilds.
 */
export class ImageBuilds extends pulumi.ComponentResource {
  /** The resource that builds each image, by tag. */
  public readonly images: Readonly<Record<string, command.remote.Command>>;

  constructor(name: string, args: ImageBuildsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("k8sinfra:docker:ImageBuilds", name, {}, opts);
    const sourceHash = folderHash(args.source);
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
    // Only the book's basic and optimal images copy a jar built on the host first.
    const hostBuild = args.images.some((i) => i.needsHostBuild)
      ? new command.remote.Command(
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
        new command.remote.Command(
          `${name}-${image.tag}`,
          {
            connection: args.connection,
            create: scripts.dockerBuild(args.remoteDir, image.tag, image.dockerfile),
            delete: scripts.dockerRemoveImage(image.tag),
            triggers: [sourceHash],
          },
          { parent: this, dependsOn: image.needsHostBuild && hostBuild ? [hostBuild] : [copy] },
        ),
      ]),
    );
    this.registerOutputs({ images: Object.keys(this.images) });
  }
}
