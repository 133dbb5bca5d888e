import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ChartSource } from "../lib/charts";
import { helmInstall } from "../lib/helmInstall";
import { VERSIONS } from "../lib/versions";

/** Arguments of an `IngressNginx`. */
export interface IngressNginxArgs {
  /** Which chart to install: its repository, or an archive of `lab:charts.dir`. */
  readonly chart: ChartSource;
  /** Namespace of the controller and its release (the book's `ingress-nginx`). */
  readonly namespace: string;
  /** Node port of HTTP (the book's 30100). */
  readonly httpNodePort: number;
  /** Node port of HTTPS (the book's 30101). */
  readonly httpsNodePort: number;
}

/**
 * The NGINX ingress controller, published on fixed node ports as the book's `ingress.yaml` Service
 * does. From its official chart, as the Helm release `ingress-nginx`, instead of the book's copy of
 * 0.30's `mandatory.yaml`.
 */
export class IngressNginx extends pulumi.ComponentResource {
  /** The IngressClass an Ingress names. */
  public readonly className = "nginx";
  /** Ready once the controller runs; Ingresses wait for it. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: IngressNginxArgs, opts?: pulumi.ComponentResourceOptions) {
    super("k8sinfra:k8s:IngressNginx", name, {}, opts);
    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: args.namespace } },
      { parent: this },
    );
    const release = helmInstall(
      name,
      {
        source: args.chart,
        // `ingress-nginx-controller`, as the book's `kubectl get` shows it.
        release: VERSIONS.charts.ingressNginx.release,
        namespace: namespace.metadata.name,
        values: {
          controller: {
            // The webhook's certificate is made by the chart's Helm hook Jobs. A release runs them,
            // but the rendered form (render mode) leaves them out, and both get the same values:
            // with the webhook on, the rendered controller would wait for that Secret forever.
            admissionWebhooks: { enabled: false },
            ingressClassResource: { name: this.className, default: true },
            service: {
              type: "NodePort",
              nodePorts: { http: args.httpNodePort, https: args.httpsNodePort },
            },
          },
        },
      },
      { parent: this },
    );
    this.ready = [release];
    this.registerOutputs({ className: this.className });
  }
}
