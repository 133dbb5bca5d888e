/**
 * Chapter 5, "지속적 통합과 배포 자동화, 젠킨스": the lab registry of chapter 4, MetalLB by Kustomize
 * or by Helm, Jenkins by Helm on NFS with configuration as code, and the book's four jobs.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Jenkins } from "../components/jenkins";
import { MetalLb } from "../components/metalLb";
import { NfsExports } from "../components/nfsExports";
import { NfsVolume } from "../components/nfsVolume";
import { CH3, CH5 } from "../lib/book";
import { type ChartName, type ChartSource, chartSource } from "../lib/charts";
import type { LabCluster } from "../lib/cluster";
import type { LabConfig } from "../lib/config";
import { jenkinsCasc, SLACK_TOKEN_ENV } from "../lib/jenkins";
import { VERSIONS } from "../lib/versions";
import { bookSections, dockerOnMaster, type Lab, labRegistry, onClusterNetwork } from "./common";

type Section = ReturnType<typeof bookSections>;
/** A chart of the chapter, as the cluster takes it (a Helm release on the lab cluster). */
type Charts = (name: ChartName) => ChartSource;

/** 5.2.2 쿠버네티스 환경에 적합한 선언적인 배포 환경: MetalLB from the project's kustomization. */
function metallbByKustomize(section: Section) {
  const opts = section("5.2.2", "Kustomize로 MetalLB 배포하기");
  const install = new k8s.kustomize.v2.Directory(
    "metallb-kustomize",
    { directory: "kustomize/metallb" },
    opts,
  );
  // The pool waits for MetalLB, whose webhook validates it (metallb/metallb#1597).
  const pool = new k8s.kustomize.v2.Directory(
    "metallb-pool-kustomize",
    { directory: "kustomize/metallb-pool" },
    { ...opts, dependsOn: [install] },
  );
  return { metallb: "kustomize", pool: `.${CH5.metallb.kustomizeRange}`, ready: [install, pool] };
}

/** 5.2.3 Helm으로 MetalLB 배포하기: the chart with the pool .11-.29, which chapters 5 and 6 keep. */
function metallbByHelm(config: LabConfig<"ch5">, charts: Charts, section: Section) {
  const [first, last] = CH5.metallb.helmRange.split("-");
  const prefix = config.network.prefix;
  const lb = new MetalLb(
    "metallb",
    {
      chart: charts("metallb"),
      namespace: CH5.metallb.namespace,
      poolName: CH5.metallb.poolName,
      addresses: `${prefix}.${first}-${prefix}.${last}`,
    },
    section("5.2.3", "Helm으로 MetalLB 배포하기"),
  );
  return { metallb: "helm", pool: lb.addresses, ready: lb.ready };
}

/** 5.3.1 젠킨스 설치: the NFS folder, the `jenkins` PV/PVC, Jenkins by Helm with its jobs (5.4, 5.5). */
function jenkins(
  config: LabConfig<"ch5">,
  charts: Charts,
  lab: Lab,
  registry: string,
  section: Section,
  after: pulumi.Resource[],
  awaitAddress: boolean,
) {
  const s = config.settings;
  const J = CH5.jenkins;
  const opts = section("5.3.1", "헬름으로 젠킨스 설치하기");
  const [master] = lab.nodes;
  const nfs = new NfsExports(
    "nfs",
    {
      server: lab.connection(master),
      address: master.ip,
      network: `${config.network.prefix}.0/24`,
      options: CH3.nfs.exportOptions,
      exports: [{ path: J.nfsDir, owner: J.owner }],
      dependsOn: lab.ready,
    },
    opts,
  );
  const volume = new NfsVolume(
    J.volume.name,
    {
      pvName: J.volume.name,
      pvcName: J.volume.name,
      server: master.ip,
      path: J.nfsDir,
      capacity: J.volume.size,
      request: J.volume.size,
      accessMode: "ReadWriteMany",
      reclaimPolicy: "Retain",
    },
    { ...opts, dependsOn: nfs.ready },
  );

  const password =
    s.adminPassword ??
    new random.RandomPassword("jenkins-admin-password", { length: 20, special: false }, opts)
      .result;
  const address = `${config.network.prefix}.${J.addressHost}`;
  const url = `http://${address}`;
  const slack =
    s.slackToken && s.slackTeam ? { channel: s.slackChannel, teamDomain: s.slackTeam } : undefined;
  const casc = jenkinsCasc({
    registry,
    url,
    agentNode: J.node,
    repositories: {
      echoIp: s.echoIpRepo,
      blueGreen: s.blueGreenRepo,
      gitops: s.gitopsRepo,
      gitopsPath: s.gitopsPath,
    },
    slack,
  });
  const jenkins = new Jenkins(
    J.release,
    {
      chart: charts("jenkins"),
      release: J.release,
      existingClaim: volume.claim.metadata.name,
      node: J.node,
      uid: J.uid,
      gid: J.gid,
      servicePort: J.servicePort,
      address,
      timezone: J.timezone,
      jenkinsOpts: J.jenkinsOpts,
      adminUser: J.adminUser,
      adminPassword: password,
      casc,
      plugins: [VERSIONS.jenkinsPlugins.jobDsl, ...(slack ? [VERSIONS.jenkinsPlugins.slack] : [])],
      secretEnv: slack && s.slackToken ? { [SLACK_TOKEN_ENV]: s.slackToken } : undefined,
      skipAwait: !awaitAddress,
    },
    { ...opts, dependsOn: [volume.claim, ...after] },
  );
  return {
    url: jenkins.url,
    adminUser: J.adminUser,
    adminPassword: pulumi.secret(password),
    jobs: [
      CH5.jobs.freestyle.name,
      CH5.jobs.pipeline.name,
      CH5.jobs.blueGreen.name,
      CH5.jobs.gitops.name,
    ],
  };
}

/** Builds chapter 5 in book order and returns its outputs. */
export function buildCh5(chapterConfig: LabConfig<"ch5">, cluster: LabCluster) {
  // On another stack's lab cluster, its network (the addresses of MetalLB and Jenkins follow it).
  const config = onClusterNetwork(chapterConfig, cluster);
  // The configuration makes sure chapter 5 runs on the lab cluster.
  const lab = cluster.lab as Lab;
  const section = bookSections("ch5", cluster);
  const charts: Charts = (name) => chartSource(name, config.charts.dir, cluster.mode);
  // Chapter 5 runs with chapter 4's registry running (the book checks `docker ps -f name=registry`).
  const registryOpts = section("4.4.2", "레지스트리 (4장)");
  const docker = dockerOnMaster(lab, registryOpts);
  const registry = labRegistry(lab, docker, registryOpts);
  const choice = config.settings.metallb;
  const { ready: lbReady, ...metallb } =
    choice === "kustomize"
      ? metallbByKustomize(section)
      : choice === "helm"
        ? metallbByHelm(config, charts, section)
        : { metallb: "none", pool: "none", ready: [] as pulumi.Resource[] };
  // Jenkins' LoadBalancer needs MetalLB's pool first; without MetalLB nothing waits for an address.
  const ci = jenkins(
    config,
    charts,
    lab,
    registry.endpoint,
    section,
    [...registry.ready, ...lbReady],
    lbReady.length > 0,
  );
  return { registry: registry.url, ...metallb, jenkins: ci };
}
