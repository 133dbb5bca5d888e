import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { COLORS, type Color } from "../lib/book";
import { bookMeta, SKIP_AWAIT } from "../lib/k8s";

/** Arguments of a `BlueGreen` pair. */
export interface BlueGreenArgs {
  /** Name of the Service that sends traffic to the active color (the notes' `webserver`). */
  readonly serviceName: string;
  /** The two Deployments are `<deploymentPrefix>-blue` and `<deploymentPrefix>-green`. */
  readonly deploymentPrefix: string;
  /** Labels every pod of both colors carries (the notes' `type: webserver`); `color` is added. */
  readonly labels: Readonly<Record<string, string>>;
  /** Replicas of each color. */
  readonly replicas: number;
  /** The pod of one color; the color is passed so it can reach the container's environment. */
  readonly podSpec: (color: Color) => k8s.types.input.core.v1.PodSpec;
  /** The color the Service selects; switching it and running `pulumi up` is the blue/green switch. */
  readonly activeColor: Color;
  /** Service port (80 in the notes). */
  readonly port: number;
  /** Container port the Service forwards to (80 in the notes). */
  readonly targetPort: number;
  /** Wait for the LoadBalancer address during `pulumi up`; see `LabCluster.awaitLoadBalancers`. */
  readonly awaitLoadBalancer: boolean;
}

/**
 * Two Deployments that differ only in their `color` label, behind one LoadBalancer Service that
 * selects one color. Both colors keep running, so switching back is instant.
 */
export class BlueGreen extends pulumi.ComponentResource {
  /** The Deployment of each color. */
  public readonly deployments: Readonly<Record<Color, k8s.apps.v1.Deployment>>;
  /** The Service in front of the active color. */
  public readonly service: k8s.core.v1.Service;
  /** The LoadBalancer address once the cluster assigned one. */
  public readonly address: pulumi.Output<string | undefined>;

  constructor(name: string, args: BlueGreenArgs, opts?: pulumi.ComponentResourceOptions) {
    super("k8sinfra:k8s:BlueGreen", name, {}, opts);

    const deployments = {} as Record<Color, k8s.apps.v1.Deployment>;
    for (const color of COLORS) {
      const labels = { ...args.labels, color };
      const deploymentName = `${args.deploymentPrefix}-${color}`;
      deployments[color] = new k8s.apps.v1.Deployment(
        deploymentName,
        {
          metadata: bookMeta(deploymentName),
          spec: {
            replicas: args.replicas,
            // apps/v1 requires the selector that `extensions/v1beta1` in the notes derived itself.
            selector: { matchLabels: labels },
            template: { metadata: { labels }, spec: args.podSpec(color) },
          },
        },
        { parent: this },
      );
    }
    this.deployments = deployments;

    this.service = new k8s.core.v1.Service(
      args.serviceName,
      {
        metadata: bookMeta(args.serviceName, {
          annotations: args.awaitLoadBalancer ? undefined : SKIP_AWAIT,
        }),
        spec: {
          type: "LoadBalancer",
          ports: [{ port: args.port, targetPort: args.targetPort, protocol: "TCP" }],
          selector: { ...args.labels, color: args.activeColor },
        },
      },
      // The Service must not route to a color whose Deployment does not exist yet.
      { parent: this, dependsOn: [deployments[args.activeColor]] },
    );

    this.address = this.service.status.apply((s) => {
      const ingress = s?.loadBalancer?.ingress?.[0];
      return ingress?.ip ?? ingress?.hostname;
    });

    this.registerOutputs({
      deployments: this.deployments,
      service: this.service,
      address: this.address,
    });
  }
}
