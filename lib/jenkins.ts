/**
 * Jenkins' configuration as code for chapter 5: the Kubernetes cloud with the agents' pod template,
 * the controller's settings, and the book's four jobs (5.4.1 freestyle, 5.4.2 pipeline, 5.4.3
 * blue-green, 5.5 GitOps) as Job DSL. Pure functions; the YAML is handed to the chart, not fetched
 * from a URL as the book's `-Dcasc.jenkins.config=https://...` did.
 */
import YAML from "yaml";
import { CH5 } from "./book";

/** What the configuration depends on. */
export interface JenkinsCascParams {
  /** `<address>:<port>` of the lab registry that images are pushed to. */
  readonly registry: string;
  /** The Jenkins URL readers open. */
  readonly url: string;
  /** The node the agents run on (the one with Docker and kubectl). */
  readonly agentNode: string;
  readonly repositories: {
    readonly echoIp: string;
    readonly blueGreen: string;
    readonly gitops: string;
    /** The manifest(s) the GitOps job applies, relative to its repository. */
    readonly gitopsPath: string;
  };
  /** 5.5.2: Slack notices, when a token is configured. */
  readonly slack?: { readonly channel: string; readonly teamDomain: string };
}

/** Label of the agents' pod template. */
export const AGENT_LABEL = "docker-kubectl";

/**
 * What the agents take from m-k8s, each at the same path: Docker's socket, its CLI and the CLI's
 * plugins, and kubectl. The plugins folder is where Docker's packages put buildx
 * (`docker-buildx-plugin`) and one of the folders the CLI looks in: without buildx, Docker 29's
 * `docker build` falls back to the legacy builder with a deprecation warning instead of BuildKit.
 * Only the socket is writable: a job has no business changing m-k8s's programs.
 */
const AGENT_HOST_PATHS: readonly { readonly path: string; readonly readOnly: boolean }[] = [
  { path: "/var/run/docker.sock", readOnly: false },
  { path: "/usr/bin/docker", readOnly: true },
  { path: "/usr/libexec/docker/cli-plugins", readOnly: true },
  { path: "/usr/bin/kubectl", readOnly: true },
];

/** Id of the Slack token credential (the book's `slack-key`). */
export const SLACK_CREDENTIAL = "slack-key";
/** Environment variable the controller reads the Slack token from (a Kubernetes Secret). */
export const SLACK_TOKEN_ENV = "SLACK_TOKEN";

/** A Groovy single-quoted string: no interpolation, so `$` and `${}` reach the shell untouched. */
export function groovy(text: string): string {
  return `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n")}'`;
}

/**
 * JCasC expands `${...}` everywhere in its YAML; a literal `${` must be written `^${`.
 * The scripts below avoid `${` altogether, and this check keeps it so.
 */
function noCascVariables(text: string, where: string): string {
  if (text.includes("${")) throw new Error(`${where} contains \${, which JCasC would expand`);
  return text;
}

const j = CH5.jobs;

/** `kubectl create ... --dry-run=client -o yaml | kubectl apply -f -`: the book's command, safe to run again. */
const applyLike = (cmd: string) => `${cmd} --dry-run=client -o yaml | kubectl apply -f -`;

/** 5.4.1: the freestyle job's shell step (`echo-ip-101.freestyle`). */
export function freestyleScript(p: JenkinsCascParams): string {
  const image = `${p.registry}/${j.image}`;
  return [
    `docker build -t ${image} .`,
    `docker push ${image}`,
    applyLike(`kubectl create deployment ${j.freestyle.deployment} --image=${image}`),
    applyLike(
      `kubectl expose deployment ${j.freestyle.deployment} --type=LoadBalancer --name=${j.freestyle.service} --port=${j.freestyle.port} --target-port=${j.freestyle.targetPort}`,
    ),
  ].join("\n");
}

/** 5.4.2: `pl-bulk-prod`, the same flow as stages of a pipeline (the echo-ip repository's Jenkinsfile). */
export function bulkProdPipeline(p: JenkinsCascParams): string {
  const image = `${p.registry}/${j.image}`;
  return `pipeline {
  agent { label ${groovy(AGENT_LABEL)} }
  stages {
    stage('git scm update') {
      steps { git url: ${groovy(p.repositories.echoIp)}, branch: 'main' }
    }
    stage('docker build and push') {
      steps {
        sh ${groovy(`docker build -t ${image} .\ndocker push ${image}`)}
      }
    }
    stage('deploy kubernetes') {
      steps {
        sh ${groovy(
          [
            applyLike(`kubectl create deployment ${j.pipeline.deployment} --image=${image}`),
            applyLike(
              `kubectl expose deployment ${j.pipeline.deployment} --type=LoadBalancer --port=${j.pipeline.port} --target-port=${j.pipeline.targetPort} --name=${j.pipeline.service}`,
            ),
          ].join("\n"),
        )}
      }
    }
  }
}
`;
}

/**
 * 5.4.3: blue-green from the `blue-green` repository. Odd builds deploy `pl-blue`, even ones
 * `pl-green`, from the color's image copied into the lab registry; when all its replicas are ready,
 * `pl-blue-green-svc` switches to it and the other color goes. The book's `kustomize edit` calls
 * become a kustomization written here and `kubectl apply -k`.
 */
export function blueGreenPipeline(p: JenkinsCascParams): string {
  const b = j.blueGreen;
  const mirror = `${p.registry}/${b.image.split("/").pop()}`;
  // The color's image goes through the lab registry, so the nodes pull it from there
  // (and Docker Hub's pull limits do not stop the lab).
  const deploy = `docker pull ${b.image}:$TAG
docker tag ${b.image}:$TAG ${mirror}:$TAG
docker push ${mirror}:$TAG
cat > kustomization.yaml <<EOF
resources:
- deployment.yaml
nameSuffix: -$TAG
labels:
- pairs:
    deploy: $TAG
  includeSelectors: true
images:
- name: ${b.image}
  newName: ${mirror}
  newTag: $TAG
EOF
kubectl apply -f configmap.yaml
kubectl apply -k .`;
  const switchLb = `until [ "$(kubectl get deployments --selector=app=${b.app},deploy=$TAG -o jsonpath='{.items[0].status.readyReplicas}')" = "$(kubectl get deployments --selector=app=${b.app},deploy=$TAG -o jsonpath='{.items[0].status.replicas}')" ]; do sleep 1; done
cat > kustomization.yaml <<EOF
resources:
- lb.yaml
labels:
- pairs:
    deploy: $TAG
  includeSelectors: true
EOF
kubectl apply -k .
kubectl delete deployment --selector=app=${b.app},deploy!=$TAG
kubectl get service ${b.service}`;
  return `// ${b.deployments.join(" / ")} behind ${b.service}
pipeline {
  agent { label ${groovy(AGENT_LABEL)} }
  stages {
    stage('define tag') {
      steps { script { env.TAG = (env.BUILD_NUMBER as int) % 2 == 1 ? 'blue' : 'green' } }
    }
    stage('git scm update') {
      steps { git url: ${groovy(p.repositories.blueGreen)}, branch: 'main' }
    }
    stage('deploy configmap and deployment') {
      steps { dir('deployment') { sh ${groovy(deploy)} } }
    }
    stage('switching LB') {
      steps { dir('service') { sh ${groovy(switchLb)} } }
    }
  }
}
`;
}

/** 5.5.1-5.5.2: `dpy-pl-gitops` applies the repository's manifests; with Slack configured it reports. */
export function gitopsPipeline(p: JenkinsCascParams): string {
  const notify = (message: string) =>
    p.slack
      ? `slackSend(channel: ${groovy(p.slack.channel)}, color: 'good', tokenCredentialId: ${groovy(SLACK_CREDENTIAL)}, message: ${message})`
      : "";
  return `pipeline {
  agent { label ${groovy(AGENT_LABEL)} }
  stages {
    stage('deploy start') {
      steps { ${notify(`'Deploy ' + env.BUILD_NUMBER + ' Started'`) || "echo 'deploy start'"} }
    }
    stage('git pull') {
      steps { git url: ${groovy(p.repositories.gitops)}, branch: 'main' }
    }
    stage('k8s deploy') {
      steps { sh ${groovy(`kubectl apply -f ${p.repositories.gitopsPath}`)} }
    }
    stage('deploy end') {
      steps { ${notify(`env.JOB_NAME + ' #' + env.BUILD_NUMBER + ' End'`) || "echo 'deploy end'"} }
    }
  }
}
`;
}

/** The four jobs as one Job DSL script. */
export function jobDsl(p: JenkinsCascParams): string {
  const pipelineJob = (name: string, script: string, extra = "") =>
    `pipelineJob(${groovy(name)}) {
${extra}  definition { cps { script(${groovy(script)}); sandbox() } }
}`;
  return [
    `freeStyleJob(${groovy(j.freestyle.name)}) {
  label(${groovy(AGENT_LABEL)})
  scm { git { remote { url(${groovy(p.repositories.echoIp)}) }; branch('*/main') } }
  steps { shell(${groovy(freestyleScript(p))}) }
}`,
    pipelineJob(j.pipeline.name, bulkProdPipeline(p)),
    pipelineJob(j.blueGreen.name, blueGreenPipeline(p)),
    pipelineJob(
      j.gitops.name,
      gitopsPipeline(p),
      `  properties { pipelineTriggers { triggers { pollSCM { scmpoll_spec(${groovy(j.gitops.poll)}) } } } }\n`,
    ),
  ].join("\n\n");
}

/**
 * The whole JCasC document. `${chart-admin-username}` and `${chart-admin-password}` are JCasC
 * variables the Jenkins chart provides from the admin Secret.
 */
export function jenkinsCasc(p: JenkinsCascParams): string {
  const jenkins = CH5.jenkins;
  const doc = {
    jenkins: {
      systemMessage: "k8sinfra-lab: chapter 5 of 컨테이너 인프라 환경 구축을 위한 쿠버네티스/도커",
      // Builds run on agents only, as the book's controller had numExecutors 0. Only here: the
      // chart's `controller.numExecutors` is read by its default JCasC alone, which is off.
      numExecutors: 0,
      mode: "NORMAL",
      securityRealm: {
        local: {
          allowsSignup: false,
          users: [{ id: "${chart-admin-username}", password: "${chart-admin-password}" }],
        },
      },
      authorizationStrategy: { loggedInUsersCanDoAnything: { allowAnonymousRead: false } },
      crumbIssuer: { standard: { excludeClientIPFromCrumb: true } },
      slaveAgentPort: jenkins.agentPort,
      clouds: [
        {
          kubernetes: {
            name: "kubernetes",
            namespace: "default",
            serverUrl: "https://kubernetes.default",
            jenkinsUrl: `http://${jenkins.release}:${jenkins.servicePort}`,
            jenkinsTunnel: `${jenkins.release}-agent:${jenkins.agentPort}`,
            containerCapStr: "10",
            templates: [
              {
                name: AGENT_LABEL,
                label: AGENT_LABEL,
                nodeUsageMode: "NORMAL",
                serviceAccount: jenkins.serviceAccount,
                // The agents use m-k8s's Docker (socket, CLI and its plugins) and kubectl, as the
                // book's agents mounted them from their node; only m-k8s has Docker and trusts the
                // registry for it.
                nodeSelector: `kubernetes.io/hostname=${p.agentNode}`,
                runAsUser: "0",
                runAsGroup: "0",
                volumes: AGENT_HOST_PATHS.map(({ path, readOnly }) => ({
                  hostPathVolume: { hostPath: path, mountPath: path, readOnly },
                })),
                yaml: YAML.stringify({
                  spec: {
                    tolerations: [
                      {
                        key: "node-role.kubernetes.io/control-plane",
                        operator: "Exists",
                        effect: "NoSchedule",
                      },
                    ],
                  },
                }),
                yamlMergeStrategy: "merge",
              },
            ],
          },
        },
      ],
    },
    unclassified: {
      location: { url: p.url },
      ...(p.slack
        ? { slackNotifier: { teamDomain: p.slack.teamDomain, tokenCredentialId: SLACK_CREDENTIAL } }
        : {}),
    },
    ...(p.slack
      ? {
          credentials: {
            system: {
              domainCredentials: [
                {
                  credentials: [
                    {
                      string: {
                        scope: "GLOBAL",
                        id: SLACK_CREDENTIAL,
                        secret: `\${${SLACK_TOKEN_ENV}}`,
                        description: "Slack token (the book's slack-key)",
                      },
                    },
                  ],
                },
              ],
            },
          },
        }
      : {}),
    jobs: [{ script: noCascVariables(jobDsl(p), "the jobs") }],
  };
  return YAML.stringify(doc, { lineWidth: 0 });
}
