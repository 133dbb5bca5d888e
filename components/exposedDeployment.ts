import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { bookMeta, SKIP_AWAIT } from "../lib/k8s";

type Container = k8s.types.input.core.v1.Container;

/** One port of the Service, as `kubectl expose --port` or a Service file gives it. */
export interface ServicePort {
  readonly port: number;
  /** Default: the same as `port`. */
  readonly targetPort?: number;
  readonly name?: string;
  /** NodePort Services: a fixed node port (the book's 30000); default chosen by Kubernetes. */
  readonly nodePort?: number;
}

/** The Service in front of the Deployment (`kubectl expose deployment ...`). */
export interface ServiceSpec {
  readonly name: string;
  readonly type: "ClusterIP" | "NodePort" | "LoadBalancer";
  readonly ports: readonly ServicePort[];
  /** A headless Service (`clusterIP: None`), for a StatefulSet's pod names. */
  readonly headless?: boolean;
}

/** Arguments of an `ExposedDeployment`. */
export interface ExposedDeploymentArgs {
  /** The Deployment's name (`kubectl create deployment <name>`). */
  readonly name: string;
  readonly image: string;
  /** Replicas (`kubectl scale`); undefined leaves them to a HorizontalPodAutoscaler. */
  readonly replicas?: number;
  /** Pod labels and selector; default `app: <name>`, as `kubectl create deployment` sets. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Default: the image's name without registry and tag, as `kubectl create deployment` names it. */
  readonly containerName?: string;
  /** Further fields of the container (resources, pull policy, mounts, ports). */
  readonly container?: Omit<Container, "name" | "image">;
  /** Volumes of the pod. */
  readonly volumes?: k8s.types.input.core.v1.Volume[];
  /** Annotations of the Deployment (for example the change-cause or an await timeout). */
  readonly annotations?: Readonly<Record<string, pulumi.Input<string>>>;
  /** The Service in front of it; none when undefined. */
  readonly service?: ServiceSpec;
  /** Wait for a LoadBalancer address during `pulumi up`; default false. */
  readonly awaitLoadBalancer?: boolean;
  /**
   * For LoadBalancer Services: the address pool they draw from. When it changes the Service is
   * created again and gets an address from the new pool, as the book re-creates it in 3.4.2.
   */
  readonly addressPool?: string;
}

/** Annotation that carries the pool a LoadBalancer Service was addressed from. */
export const ADDRESS_POOL_ANNOTATION = "k8sinfra-lab/address-pool";

/** `kubectl create deployment` followed by `kubectl expose deployment`, as one component. */
export class ExposedDeployment extends pulumi.ComponentResource {
  public readonly deployment: k8s.apps.v1.Deployment;
  public readonly service?: k8s.core.v1.Service;
  /** The LoadBalancer address once assigned (LoadBalancer Services only). */
  public readonly address?: pulumi.Output<string | undefined>;
  /** The node ports, in the order of `service.ports` (NodePort and LoadBalancer Services). */
  public readonly nodePorts?: pulumi.Output<(number | undefined)[]>;

  constructor(name: string, args: ExposedDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("k8sinfra:k8s:ExposedDeployment", name, {}, opts);
    const labels = args.labels ?? { app: args.name };
    // What the component waits for, its children wait for (a component's own dependsOn does not reach them).
    const after = opts?.dependsOn;
    const containerName =
      args.containerName ?? args.image.split("/").pop()?.split(":")[0] ?? args.name;

    this.deployment = new k8s.apps.v1.Deployment(
      args.name,
      {
        metadata: bookMeta(args.name, { labels, annotations: args.annotations }),
        spec: {
          replicas: args.replicas,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              containers: [{ name: containerName, image: args.image, ...args.container }],
              volumes: args.volumes,
            },
          },
        },
      },
      { parent: this, dependsOn: after },
    );

    if (args.service) {
      this.service = exposeService(args.service, labels, args, {
        parent: this,
        dependsOn: pulumi
          .output(after ?? [])
          .apply((d) => [this.deployment, ...(Array.isArray(d) ? d : [d])]),
      });
      if (args.service.type === "LoadBalancer") {
        this.address = loadBalancerAddress(this.service);
      }
      if (args.service.type !== "ClusterIP") {
        this.nodePorts = this.service.spec.apply((s) => (s?.ports ?? []).map((p) => p.nodePort));
      }
    }

    this.registerOutputs({
      deployment: this.deployment,
      service: this.service,
      address: this.address,
    });
  }
}

/**
 * The Service `kubectl expose` makes for pods with these labels. A LoadBalancer Service carries the
 * pool it is addressed from, and is created again when the pool changes.
 */
export function exposeService(
  svc: ServiceSpec,
  labels: Readonly<Record<string, string>>,
  lb: { readonly awaitLoadBalancer?: boolean; readonly addressPool?: string },
  opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Service {
  const isLb = svc.type === "LoadBalancer";
  const annotations: Record<string, string> = {
    ...(isLb && !lb.awaitLoadBalancer ? SKIP_AWAIT : {}),
    ...(isLb && lb.addressPool ? { [ADDRESS_POOL_ANNOTATION]: lb.addressPool } : {}),
  };
  return new k8s.core.v1.Service(
    svc.name,
    {
      metadata: bookMeta(svc.name, {
        labels,
        annotations: Object.keys(annotations).length ? annotations : undefined,
      }),
      spec: {
        type: svc.type,
        clusterIP: svc.headless ? "None" : undefined,
        selector: labels,
        ports: svc.ports.map((p) => ({
          name: p.name,
          port: p.port,
          targetPort: p.targetPort ?? p.port,
          protocol: "TCP",
          nodePort: p.nodePort,
        })),
      },
    },
    {
      ...opts,
      replaceOnChanges: isLb ? [`metadata.annotations["${ADDRESS_POOL_ANNOTATION}"]`] : undefined,
      deleteBeforeReplace: isLb ? true : undefined,
    },
  );
}

/** The address a LoadBalancer Service got, once it has one. */
export function loadBalancerAddress(
  service: k8s.core.v1.Service,
): pulumi.Output<string | undefined> {
  return service.status.apply((s) => {
    const ingress = s?.loadBalancer?.ingress?.[0];
    return ingress?.ip ?? ingress?.hostname;
  });
}
