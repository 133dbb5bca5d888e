/**
 * What the reader is told when a stack's settings or a command line cannot be used: every such
 * message in English and in Korean, side by side. Config keys, values and commands stay verbatim in
 * both, so that a reader can copy them.
 *
 * Each entry is built with `both`, which takes the English text's type for the Korean one: an entry
 * without its Korean text, or with other parameters, does not compile.
 */
import { NETWORK } from "./book";
import { type Language, language } from "./i18n";

type Text = (...args: never[]) => string;
interface Both<T extends Text> {
  readonly en: T;
  readonly ko: NoInfer<T>;
}
const both = <T extends Text>(m: Both<T>): Both<T> => m;

const list = (values: readonly string[]) => values.join(", ");

const CATALOGUE = {
  // ---- the frame of a configuration error ------------------------------------------------------
  configInvalid: both({
    en: (stack: string) => `Configuration of stack "${stack}" is not valid:`,
    ko: (stack) => `스택 "${stack}"의 설정이 올바르지 않습니다:`,
  }),
  setHint: both({
    en: (stack: string) =>
      `Change a value with: npm run lab -- ${stack} config set <key> <value>  (add --secret for passwords and keys)`,
    ko: (stack) =>
      `값을 바꾸려면: npm run lab -- ${stack} config set <key> <value>  (비밀번호와 키에는 --secret을 붙입니다)`,
  }),
  got: both({
    en: (problem: string, value: string) => `${problem} (got ${value})`,
    ko: (problem, value) => `${problem} (입력값: ${value})`,
  }),
  nothing: both({ en: () => "nothing", ko: () => "없음" }),
  hiddenValue: both({ en: () => "a value that is not shown", ko: () => "표시하지 않는 값" }),

  // ---- what a value must be ----------------------------------------------------------------------
  wholeNumber: both({
    en: (min: number, max: number) => `must be a whole number from ${min} to ${max}`,
    ko: (min, max) => `${min}부터 ${max}까지의 정수여야 합니다`,
  }),
  trueOrFalse: both({ en: () => "must be true or false", ko: () => "true 또는 false여야 합니다" }),
  oneOf: both({
    en: (values: readonly string[]) => `must be one of: ${list(values)}`,
    ko: (values) => `다음 값 중 하나여야 합니다: ${list(values)}`,
  }),
  group: both({
    en: (key: string) => `is a group of settings (${key}.*), not a value`,
    ko: (key) => `값이 아니라 설정 묶음(${key}.*)입니다`,
  }),
  imageTag: both({
    en: () => "must be an image tag such as 1.11",
    ko: () => "1.11 같은 이미지 태그여야 합니다",
  }),
  ipv4Prefix: both({
    en: () => "must be three octets such as 192.168.56",
    ko: () => "192.168.56처럼 IPv4 주소의 앞 세 옥텟이어야 합니다",
  }),
  release: both({
    en: (example: string) => `must be a release number such as ${example}`,
    ko: (example) => `${example} 같은 릴리스 번호여야 합니다`,
  }),
  boxName: both({
    en: () => "must be a Vagrant box such as bento/ubuntu-24.04",
    ko: () => "bento/ubuntu-24.04 같은 Vagrant 박스여야 합니다",
  }),
  nodeName: both({
    en: () => "must be node names such as w3-k8s",
    ko: () => "w3-k8s 같은 노드 이름이어야 합니다",
  }),
  nodeList: both({
    en: () => "must be node names such as w3-k8s, separated by commas",
    ko: () => "w3-k8s 같은 노드 이름을 쉼표로 구분해 적어야 합니다",
  }),
  octetRange: both({
    en: () => "must be a range of last octets such as 11-13",
    ko: () => "11-13처럼 마지막 옥텟의 범위여야 합니다",
  }),
  hostAddress: both({
    en: () => "must be an IPv4 address or a host name",
    ko: () => "IPv4 주소나 호스트 이름이어야 합니다",
  }),
  absolutePath: both({
    en: () => "must be an absolute path such as /nfs_shared",
    ko: () => "/nfs_shared 같은 절대 경로여야 합니다",
  }),
  gitUrl: both({
    en: (example: string) => `must be an https git URL such as ${example}`,
    ko: (example) => `${example} 같은 https git URL이어야 합니다`,
  }),
  repoPath: both({
    en: () => "must be a path inside the repository, such as ch5/5.5.3/deployment.yaml",
    ko: () => "ch5/5.5.3/deployment.yaml 같은 저장소 안의 경로여야 합니다",
  }),
  projectFolder: both({
    en: () => "must be a folder inside the project, such as rendered/dev",
    ko: () => "rendered/dev 같은 프로젝트 안의 폴더여야 합니다",
  }),
  secretRequired: both({
    en: () => "must be set as a secret (pulumi config set --secret ...)",
    ko: () => "비밀 값으로 설정해야 합니다 (pulumi config set --secret ...)",
  }),
  notEmpty: both({ en: () => "must not be empty", ko: () => "비어 있으면 안 됩니다" }),
  kubeconfigPath: both({
    en: () => "must be a kubeconfig file path",
    ko: () => "kubeconfig 파일 경로여야 합니다",
  }),
  kubeconfigContents: both({
    en: () =>
      "holds kubeconfig contents, which carry credentials: give a file path, or set it with --secret",
    ko: () =>
      "자격 증명이 담긴 kubeconfig 내용입니다: 파일 경로를 주거나, --secret을 붙여 설정하세요",
  }),
  kubeconfigContext: both({
    en: () => "must be a kubeconfig context name",
    ko: () => "kubeconfig 컨텍스트 이름이어야 합니다",
  }),
  stackName: both({
    en: () => "must be a stack name such as cluster",
    ko: () => "cluster 같은 스택 이름이어야 합니다",
  }),
  chartsDir: both({
    en: () => "must be a folder of chart archives such as charts",
    ko: () => "charts 같은 차트 아카이브 폴더여야 합니다",
  }),
  slackWorkspace: both({
    en: () => "must be a Slack workspace name",
    ko: () => "Slack 워크스페이스 이름이어야 합니다",
  }),
  slackChannel: both({
    en: (example: string) => `must be a Slack channel such as ${example}`,
    ko: (example) => `${example} 같은 Slack 채널이어야 합니다`,
  }),
  workerName: both({
    en: () => "must be a worker's name such as w3-k8s",
    ko: () => "w3-k8s 같은 워커 노드 이름이어야 합니다",
  }),
  projectId: both({
    en: () => "must be letters, digits, '.', '_' or '-', such as hello-docker",
    ko: () => "hello-docker처럼 영문자, 숫자, '.', '_', '-'만 쓸 수 있습니다",
  }),
  ch3Sections: both({
    en: (sections: readonly string[]) =>
      `must be sections of chapter 3, separated by commas, from: ${list(sections)}`,
    ko: (sections) => `3장의 다음 절 중에서 쉼표로 구분해 골라야 합니다: ${list(sections)}`,
  }),

  // ---- where keys are written -------------------------------------------------------------------
  setTwice: both({
    en: () => "set twice (once as a flat key, once inside an object)",
    ko: () => "두 번 설정되었습니다 (한 번은 평면 키로, 한 번은 객체 안에서)",
  }),
  conflictsWith: both({
    en: (key: string) => `conflicts with ${key}`,
    ko: (key) => `${key} 설정과 충돌합니다`,
  }),
  chapterNotSet: both({
    en: (stack: string) => `not set, and the stack name "${stack}" is not a chapter`,
    ko: (stack) => `설정되지 않았고, 스택 이름 "${stack}"도 장(chapter) 이름이 아닙니다`,
  }),
  notAChapter: both({
    en: (value: string) => `${value} is not a chapter`,
    ko: (value) => `${value}은(는) 장(chapter) 이름이 아닙니다`,
  }),
  knownChapters: both({
    en: (problem: string, chapters: readonly string[]) =>
      `${problem}; known chapters: ${list(chapters)}`,
    ko: (problem, chapters) => `${problem}. 장 목록: ${list(chapters)}`,
  }),
  otherChapter: both({
    en: (owner: string, chapter: string) =>
      `belongs to chapter ${owner}, but this stack builds ${chapter}`,
    ko: (owner, chapter) => `${owner} 장의 설정인데, 이 스택은 ${chapter} 장을 만듭니다`,
  }),
  notASetting: both({
    en: (guess: string, settings: readonly string[]) =>
      `not a setting of this stack.${guess} Settings: ${list(settings)}`,
    ko: (guess, settings) => `이 스택의 설정이 아닙니다.${guess} 설정 목록: ${list(settings)}`,
  }),
  didYouMean: both({
    en: (keys: readonly string[]) => ` Did you mean ${keys.join(" or ")}?`,
    ko: (keys) => ` 혹시 ${keys.join(" 또는 ")} 설정을 말하는 건가요?`,
  }),
  namespaceCase: both({
    en: (meant: string, stack: string, key: string) =>
      `not read: Pulumi hands keys to the program as written, and this project's settings are in the namespace lab, in lowercase. Did you mean ${meant}? In the stack file: npm run lab -- ${stack} config rm ${key}, then npm run lab -- ${stack} config set ${meant} <value>`,
    ko: (meant, stack, key) =>
      `읽히지 않는 키입니다: Pulumi는 키를 적힌 그대로 프로그램에 넘기고, 이 프로젝트의 설정은 소문자 네임스페이스 lab에 있습니다. 혹시 ${meant} 설정을 말하는 건가요? 스택 파일에 있다면: npm run lab -- ${stack} config rm ${key} 다음에 npm run lab -- ${stack} config set ${meant} <value>`,
  }),
  settingOfChapter: both({
    en: (key: string, chapter: string) => `${key} (a setting of chapter ${chapter})`,
    ko: (key, chapter) => `${key}(${chapter} 장)`,
  }),

  // ---- cluster modes ----------------------------------------------------------------------------
  chapterNeedsLab: both({
    en: (chapter: string) =>
      `chapter ${chapter} builds on the lab cluster's master, so it needs vagrant or stack`,
    ko: (chapter) =>
      `${chapter} 장은 실습 클러스터의 마스터 노드에서 실습하므로 vagrant나 stack 모드가 필요합니다`,
  }),
  chapterBuildsVms: both({
    en: (chapter: string) => `chapter ${chapter} builds the VMs itself, so it needs vagrant`,
    ko: (chapter) => `${chapter} 장은 VM을 직접 만들므로 vagrant 모드가 필요합니다`,
  }),
  chapterBuildsCluster: both({
    en: (chapter: string) =>
      `chapter ${chapter} builds the lab cluster itself, so it needs vagrant`,
    ko: (chapter) => `${chapter} 장은 실습 클러스터를 직접 만들므로 vagrant 모드가 필요합니다`,
  }),
  localClusterMode: both({
    en: (problem: string, tool: string, context: string) =>
      `${problem}; a ${tool} cluster is the kubeconfig mode: lab:cluster.mode kubeconfig, with lab:cluster.kubeconfig (default $KUBECONFIG or ~/.kube/config) and lab:cluster.context (e.g. ${context}; default the current context)`,
    ko: (problem, tool, context) =>
      `${problem}. ${tool} 클러스터는 kubeconfig 모드로 씁니다: lab:cluster.mode를 kubeconfig로 하고, lab:cluster.kubeconfig(기본값 $KUBECONFIG 또는 ~/.kube/config)와 lab:cluster.context(예: ${context}, 기본값은 현재 컨텍스트)를 설정하세요`,
  }),
  localClusterNotForChapter: both({
    en: (problem: string, tool: string, chapter: string) =>
      `${problem}; a ${tool} cluster would be the kubeconfig mode, but chapter ${chapter} builds on the lab cluster's master: use vagrant, or stack on the lab cluster (npm run lab -- cluster up)`,
    ko: (problem, tool, chapter) =>
      `${problem}. ${tool} 클러스터는 kubeconfig 모드로 쓰지만, ${chapter} 장은 실습 클러스터의 마스터 노드에서 실습합니다: vagrant를 쓰거나, 실습 클러스터(npm run lab -- cluster up) 위에서 stack 모드를 쓰세요`,
  }),
  settingOfClusterStack: both({
    en: (key: string, clusterStack: string) =>
      `the lab cluster of stack ${clusterStack} decides this; set it there (npm run lab -- ${clusterStack} config set ${key} ...), or remove it here`,
    ko: (key, clusterStack) =>
      `이 값은 스택 ${clusterStack}의 실습 클러스터가 정합니다. 그 스택에서 설정하거나(npm run lab -- ${clusterStack} config set ${key} ...) 여기서 지우세요`,
  }),
  settingOfOtherMode: both({
    en: (modes: readonly string[], mode: string) =>
      `used only in ${modes.join(" and ")} mode, and lab:cluster.mode is ${mode}; remove it or change the mode`,
    ko: (modes, mode) =>
      `${modes.join(", ")} 모드에서만 쓰는 설정인데 lab:cluster.mode가 ${mode}입니다. 이 설정을 지우거나 모드를 바꾸세요`,
  }),

  // ---- the lab cluster's VMs --------------------------------------------------------------------
  masterCpus: both({
    en: () => "kubeadm needs at least 2 on the control plane",
    ko: () => "kubeadm은 컨트롤 플레인에 CPU가 2개 이상 필요합니다",
  }),
  masterMemory: both({
    en: (value: number, min: number, kubeadm: number) =>
      `${value} MB is too little: kubeadm init refuses a control plane with less than ${kubeadm} MB of memory, and the system in a VM sees less than the VM is given; give m-k8s at least ${min}, or remove the setting for the chapter's size`,
    ko: (value, min, kubeadm) =>
      `${value} MB로는 부족합니다: kubeadm init은 메모리가 ${kubeadm} MB보다 적은 컨트롤 플레인을 거부하고, VM 안의 시스템은 VM에 준 메모리보다 조금 적게 봅니다. m-k8s에 ${min} MB 이상을 주거나, 이 설정을 지워 장의 기본 크기를 쓰세요`,
  }),
  boxNotUbuntu: both({
    en: (value: string, box: string) =>
      `${value} is not an Ubuntu box, and the node scripts need one: they install with apt from Ubuntu's and Docker's Ubuntu repositories and run services with systemd; remove the setting for ${box} (the default), or give another Ubuntu box`,
    ko: (value, box) =>
      `${value}은(는) Ubuntu 박스가 아닌데, 노드 스크립트에는 Ubuntu 박스가 필요합니다: apt로 Ubuntu 저장소와 Docker의 Ubuntu 저장소에서 설치하고, systemd로 서비스를 실행합니다. 이 설정을 지워 기본값(${box})을 쓰거나, 다른 Ubuntu 박스를 지정하세요`,
  }),
  kubernetesTooOld: both({
    en: (value: string, min: string, example: string) =>
      `${value} cannot be installed: pkgs.k8s.io, where the nodes get kubeadm, kubelet and kubectl, serves the Kubernetes 1.x releases from ${min} on; give one such as ${example} (the default), or remove the setting`,
    ko: (value, min, example) =>
      `${value}은(는) 설치할 수 없습니다: 노드가 kubeadm, kubelet, kubectl을 받는 pkgs.k8s.io는 Kubernetes ${min} 이후의 1.x 릴리스만 제공합니다. ${example}(기본값) 같은 릴리스를 지정하거나 이 설정을 지우세요`,
  }),
  networkOverlap: both({
    en: (network: string, which: "pod" | "service", cidr: string, example: string) =>
      `${network} overlaps the ${which} network ${cidr} (${which === "pod" ? "kubeadm init --pod-network-cidr, Calico's pool" : "kubeadm's default --service-cidr"}), so addresses of nodes and of ${which === "pod" ? "pods" : "Services"} could not be told apart; choose a host-only network outside it, such as ${example} (the default)`,
    ko: (network, which, cidr, example) =>
      `${network} 대역이 ${which === "pod" ? "파드" : "서비스"} 네트워크 ${cidr} 대역(${which === "pod" ? "kubeadm init --pod-network-cidr, Calico의 풀" : "kubeadm의 기본 --service-cidr"})과 겹쳐서 노드의 주소와 ${which === "pod" ? "파드" : "서비스"}의 주소를 구별할 수 없습니다: ${example}(기본값)처럼 겹치지 않는 호스트 전용 네트워크를 고르세요`,
  }),
  kubeconfigMissing: both({
    en: (file: string) =>
      `the file ${file} does not exist; give the path of your cluster's kubeconfig, or remove the setting for $KUBECONFIG or ~/.kube/config`,
    ko: (file) =>
      `${file} 파일이 없습니다: 클러스터의 kubeconfig 파일 경로를 지정하거나, 이 설정을 지워 $KUBECONFIG 또는 ~/.kube/config를 쓰세요`,
  }),
  kubeconfigIsFolder: both({
    en: (file: string) =>
      `${file} is a folder; give the path of the kubeconfig file itself (for example ~/.kube/config)`,
    ko: (file) =>
      `${file}은(는) 폴더입니다: kubeconfig 파일 자체의 경로를 지정하세요 (예: ~/.kube/config)`,
  }),
  kubeconfigNowhere: both({
    en: (file: string, stack: string) =>
      `not set, and there is no kubeconfig where the Kubernetes provider looks: $KUBECONFIG is not set and ${file} does not exist, so preview would plan for no cluster at all. Give your cluster's kubeconfig: npm run lab -- ${stack} config set lab:cluster.kubeconfig <path> (kind and minikube write theirs to ~/.kube/config), or export KUBECONFIG=<path>`,
    ko: (file, stack) =>
      `설정되지 않았고, Kubernetes 프로바이더가 찾는 곳에 kubeconfig가 없습니다: $KUBECONFIG가 설정되지 않았고 ${file} 파일도 없어서, preview가 아무 클러스터도 없이 계획을 세우게 됩니다. 클러스터의 kubeconfig를 지정하세요: npm run lab -- ${stack} config set lab:cluster.kubeconfig <path> (kind와 minikube는 ~/.kube/config에 씁니다), 또는 export KUBECONFIG=<path>`,
  }),
  kubeconfigEnvNotFile: both({
    en: (value: string, stack: string, list: boolean) =>
      `not set, and $KUBECONFIG (${value}) is no file${list ? " (the Kubernetes provider takes $KUBECONFIG as one file, not as a list of files)" : ""}: the provider would read the text itself as a kubeconfig and plan for no cluster at all. Point $KUBECONFIG at your cluster's kubeconfig file, or set it here: npm run lab -- ${stack} config set lab:cluster.kubeconfig <path>`,
    ko: (value, stack, list) =>
      `설정되지 않았고, $KUBECONFIG(${value})가 가리키는 파일이 없습니다${list ? "(Kubernetes 프로바이더는 $KUBECONFIG를 파일 목록이 아니라 파일 하나로 읽습니다)" : ""}: 프로바이더가 그 글자 자체를 kubeconfig로 읽어서 아무 클러스터도 없이 계획을 세우게 됩니다. $KUBECONFIG가 클러스터의 kubeconfig 파일을 가리키게 하거나, 여기에 설정하세요: npm run lab -- ${stack} config set lab:cluster.kubeconfig <path>`,
  }),
  hostMemory: both({
    en: (total: number, master: number, workers: number, worker: number, host: number) =>
      `lab:cluster.workers: the VMs take ${total} MB (m-k8s ${master} MB + ${workers} workers x ${worker} MB), more than this machine's ${host} MB of memory; VirtualBox may fail to start them, or the machine may slow to a crawl. Use fewer workers (lab:cluster.workers) or less memory per worker (lab:cluster.workerMemory)`,
    ko: (total, master, workers, worker, host) =>
      `lab:cluster.workers: VM 메모리 합계 ${total} MB(m-k8s ${master} MB + 워커 ${workers}대 x ${worker} MB)가 이 컴퓨터의 메모리 ${host} MB보다 큽니다. VirtualBox가 VM을 시작하지 못하거나 컴퓨터가 몹시 느려질 수 있습니다. 워커 수(lab:cluster.workers)나 워커 메모리(lab:cluster.workerMemory)를 줄이세요`,
  }),

  // ---- the lab cluster's nodes (printed by master_node.sh and work_nodes.sh) ----------------------
  controlPlaneNotAnswering: both({
    en: (master: string, minutes: number) =>
      `The API server of ${master} did not answer in ${minutes} minutes. ${master} holds an initialised cluster (its etcd data in /var/lib/etcd keeps every chapter's objects), so nothing was reset. Look at it from the stack's folder under .lab/: vagrant ssh ${master} -c "sudo crictl ps -a" (the control plane's containers) and vagrant ssh ${master} -c "sudo systemctl status kubelet"; once it answers, run up again.`,
    ko: (master, minutes) =>
      `${master}의 API 서버가 ${minutes}분 동안 응답하지 않았습니다. ${master}에는 초기화된 클러스터가 있으므로(/var/lib/etcd의 etcd 데이터에 모든 장의 오브젝트가 들어 있습니다) 아무것도 초기화(reset)하지 않았습니다. .lab/ 아래 스택 폴더에서 살펴보세요: vagrant ssh ${master} -c "sudo crictl ps -a" (컨트롤 플레인의 컨테이너), vagrant ssh ${master} -c "sudo systemctl status kubelet". API 서버가 응답하면 up을 다시 실행하세요.`,
  }),
  workerApiNotAnswering: both({
    en: (worker: string, apiServer: string, master: string, minutes: number) =>
      `The API server ${apiServer} did not answer ${worker} in ${minutes} minutes. ${worker} is joined to this cluster, so nothing was reset. Look at the control plane from the stack's folder under .lab/: vagrant ssh ${master} -c "sudo crictl ps -a", and at this node: vagrant ssh ${worker} -c "sudo systemctl status kubelet"; once the API server answers, run up again.`,
    ko: (worker, apiServer, master, minutes) =>
      `API 서버 ${apiServer}가 ${minutes}분 동안 ${worker}에 응답하지 않았습니다. ${worker}는 이 클러스터에 조인되어 있으므로 아무것도 초기화(reset)하지 않았습니다. .lab/ 아래 스택 폴더에서 컨트롤 플레인을 살펴보세요: vagrant ssh ${master} -c "sudo crictl ps -a", 이 노드는: vagrant ssh ${worker} -c "sudo systemctl status kubelet". API 서버가 응답하면 up을 다시 실행하세요.`,
  }),

  // ---- chapters' own settings -------------------------------------------------------------------
  kustomizePool: both({
    en: (pool: string, prefix: string) =>
      `kustomize/metallb-pool/pool.yaml holds ${pool}, like the book's file holds its addresses; with lab:network.prefix ${prefix} use helm, or edit that file`,
    ko: (pool, prefix) =>
      `kustomize/metallb-pool/pool.yaml에는 책의 파일처럼 주소 범위가 적혀 있습니다(${pool}): lab:network.prefix가 ${prefix}일 때는 helm을 쓰거나 그 파일을 고치세요`,
  }),
  slackTeam: both({
    en: () => "needed with lab:ch5.slackToken (the Slack workspace name)",
    ko: () => "lab:ch5.slackToken을 쓰면 필요합니다 (Slack 워크스페이스 이름)",
  }),
  nfsServerNeeded: both({
    en: () =>
      "sections 3.4.3 and 3.4.4 need an NFS server on a kubeconfig cluster; set its address, or leave those sections out of lab:ch3.sections",
    ko: () =>
      "kubeconfig 클러스터에서 3.4.3절과 3.4.4절을 하려면 NFS 서버가 필요합니다: 서버 주소를 설정하거나, lab:ch3.sections에서 두 절을 빼세요",
  }),
  needsNfsPvc: both({
    en: () => "3.4.4 mounts nfs-pvc from 3.4.3; add 3.4.3",
    ko: () => "3.4.4절은 3.4.3절의 nfs-pvc를 마운트합니다: 3.4.3을 추가하세요",
  }),
  nodesNotInCluster: both({
    en: (unknown: readonly string[], nodes: readonly string[]) =>
      `${list(unknown)} not in the cluster; nodes: ${list(nodes)}`,
    ko: (unknown, nodes) =>
      `클러스터에 없는 노드입니다: ${list(unknown)}. 노드 목록: ${list(nodes)}`,
  }),
  poolTooSmall: both({
    en: (range: string, size: number, needed: number) =>
      `${range} holds ${size} addresses, but the chosen sections have ${needed} LoadBalancer Services; widen it (e.g. 11-19) or choose fewer lab:ch3.sections`,
    ko: (range, size, needed) =>
      `${range} 범위에는 주소가 ${size}개뿐인데 고른 절에는 LoadBalancer 서비스가 ${needed}개 있습니다: 범위를 넓히거나(예: 11-19) lab:ch3.sections를 줄이세요`,
  }),
  poolHasVms: both({
    en: (range: string, hosts: readonly number[]) =>
      `${range} includes the VMs' addresses .${hosts.join(", .")}; choose last octets clear of them, e.g. 11-19`,
    ko: (range, hosts) =>
      `${range} 범위에 VM 주소(.${hosts.join(", .")})가 들어 있습니다: 11-19처럼 VM 주소와 겹치지 않는 범위를 고르세요`,
  }),
  chartsDirMissing: both({
    en: (dir: string) => `the folder ${dir} does not exist (relative to the project)`,
    ko: (dir) => `${dir} 폴더가 없습니다 (프로젝트 폴더 기준 경로)`,
  }),
  chartMissing: both({
    en: (file: string, command: string) => `${file} is missing; save it once with: ${command}`,
    ko: (file, command) => `${file} 파일이 없습니다: 다음 명령으로 한 번 받아 두세요: ${command}`,
  }),

  // ---- the command-line tools -------------------------------------------------------------------
  usage: both({
    en: (syntax: string) => `usage: ${syntax}`,
    ko: (syntax) => `사용법: ${syntax}`,
  }),
  stacks: both({
    en: (stacks: readonly string[]) => `stacks: ${list(stacks)}`,
    ko: (stacks) => `스택: ${list(stacks)}`,
  }),
  forExample: both({
    en: (command: string) => `e.g. ${command}`,
    ko: (command) => `예: ${command}`,
  }),
  needsKeyValue: both({
    en: (flag: string) => `${flag} needs key=value, e.g. ${flag} lab:practice.activeColor=blue`,
    ko: (flag) =>
      `${flag}에는 key=value를 지정해야 합니다. 예: ${flag} lab:practice.activeColor=blue`,
  }),
  keyWithoutNamespace: both({
    en: (flag: string, key: string, value: string) =>
      `${flag} ${key}=${value}: the key has no namespace, so the program would never read it; this project's settings are lab:<setting>, e.g. ${flag} lab:${key}=${value}`,
    ko: (flag, key, value) =>
      `${flag} ${key}=${value}: 키에 네임스페이스가 없어 프로그램이 읽지 않습니다. 이 프로젝트의 설정은 lab:<설정> 형식입니다. 예: ${flag} lab:${key}=${value}`,
  }),
  givenTwice: both({
    en: (key: string, first: string, second: string) =>
      `${key} is given twice (${first} and ${second}); only one value can count, and the other would be dropped without a word: give it once`,
    ko: (key, first, second) =>
      `${key} 설정이 두 번 주어졌습니다(${first}, ${second}). 값은 하나만 쓰이고 다른 하나는 말없이 버려집니다: 한 번만 주세요`,
  }),
  mermaidNeedsFile: both({
    en: () => "--mermaid needs a file name",
    ko: () => "--mermaid에는 파일 이름을 지정해야 합니다",
  }),
  unknownOption: both({
    en: (option: string) => `unknown option ${option}`,
    ko: (option) => `알 수 없는 옵션입니다: ${option}`,
  }),
  oneStack: both({
    en: (first: string, second: string) => `one stack at a time (got ${first} and ${second})`,
    ko: (first, second) => `스택은 한 번에 하나만 지정합니다 (입력값: ${first}, ${second})`,
  }),
  cannotWrite: both({
    en: (flag: string, file: string, why: string) =>
      `${flag} ${file}: cannot write the file (${why})`,
    ko: (flag, file, why) => `${flag} ${file}: 파일을 쓸 수 없습니다 (${why})`,
  }),
  folderMissing: both({
    en: (dir: string) => `the folder ${dir} does not exist`,
    ko: (dir) => `${dir} 폴더가 없습니다`,
  }),
  isFolder: both({ en: () => "it is a folder", ko: () => "폴더입니다" }),
  notAFolder: both({
    en: (dir: string) => `${dir} is not a folder`,
    ko: (dir) => `${dir}은(는) 폴더가 아닙니다`,
  }),
  noPermission: both({
    en: () => "no permission to write there",
    ko: () => "쓰기 권한이 없습니다",
  }),
  unknownStack: both({
    en: (stack: string, stacks: readonly string[], guess: string) =>
      `"${stack}" is not a stack of this project; its stacks: ${list(stacks)}.${guess}\nA stack of your own starts as a copy of a chapter's file, e.g. Pulumi.ch3.yaml -> Pulumi.${stack}.yaml (set lab:chapter in it).`,
    ko: (stack, stacks, guess) =>
      `"${stack}"은(는) 이 프로젝트의 스택이 아닙니다. 스택: ${list(stacks)}.${guess}\n새 스택은 장의 파일을 복사해 만듭니다. 예: Pulumi.ch3.yaml -> Pulumi.${stack}.yaml (그 안에 lab:chapter를 설정하세요).`,
  }),
  // ---- chapters on one lab cluster ----------------------------------------------------------
  metallbPart: both({
    en: () => "MetalLB (namespace metallb-system)",
    ko: () => "MetalLB(네임스페이스 metallb-system)",
  }),
  registryPart: both({
    en: () => "the registry container on m-k8s (port 8443)",
    ko: () => "m-k8s의 레지스트리 컨테이너(포트 8443)",
  }),
  sharedPartHeld: both({
    en: (holder: string, part: string, cluster: string, file: string, resource: string) =>
      [
        `stack "${holder}" has ${part} on the lab cluster of stack "${cluster}", which this chapter installs in its own way. Either:`,
        `    reset that chapter first: npm run lab -- ${holder} destroy`,
        `    or, if stack "${holder}" no longer exists, or its up was stopped before it recorded ${resource} (npm run lab -- ${holder} stack does not list it), delete the file ${file}`,
      ].join("\n"),
    ko: (holder, part, cluster, file, resource) =>
      [
        `스택 "${holder}"이(가) 스택 "${cluster}"의 실습용 클러스터에 ${part}을(를) 설치해 두었습니다. 이 장은 그것을 자기 방식으로 설치합니다. 다음 중 하나를 하세요:`,
        `    그 장을 먼저 되돌리기: npm run lab -- ${holder} destroy`,
        `    스택 "${holder}"이(가) 더는 없거나, 그 스택의 up이 ${resource}을(를) 기록하기 전에 멈췄다면(npm run lab -- ${holder} stack 목록에 없음) 파일 ${file} 지우기`,
      ].join("\n"),
  }),
  claimNamesNoStack: both({
    en: (part: string, file: string) =>
      `the file ${file}, which says which chapter has ${part}, names no stack; if no chapter on the lab cluster has it, delete the file`,
    ko: (part, file) =>
      `${part}을(를) 어느 장이 설치했는지 적는 파일 ${file}에 스택 이름이 없습니다. 실습용 클러스터의 어느 장도 그것을 설치하지 않았다면 파일을 지우세요`,
  }),
  buildsOnItself: both({
    en: (stack: string) => `a stack cannot build on its own lab cluster (got "${stack}")`,
    ko: (stack) =>
      `스택은 자기 자신의 실습용 클러스터 위에서 실습할 수 없습니다 (입력값: "${stack}")`,
  }),
  clusterStackUnknown: both({
    en: (stack: string, stacks: readonly string[], guess: string) =>
      `"${stack}" is not a stack of this project; its stacks: ${list(stacks)}.${guess}`,
    ko: (stack, stacks, guess) =>
      `"${stack}"은(는) 이 프로젝트의 스택이 아닙니다. 스택: ${list(stacks)}.${guess}`,
  }),
  clusterNotBuilt: both({
    en: (stack: string, current: string) =>
      `The lab cluster of stack "${stack}" does not exist yet (or was destroyed), and stack "${current}" builds on it. Build it first: npm run lab -- ${stack} up`,
    ko: (stack, current) =>
      `스택 "${current}"은(는) 스택 "${stack}"의 실습용 클러스터 위에서 실습하는데, 그 클러스터가 아직 없습니다(또는 지워졌습니다). 먼저 만드세요: npm run lab -- ${stack} up`,
  }),
  clusterUnreadable: both({
    en: (stack: string, why: string) =>
      `stack "${stack}" could not be read (${why}): build the lab cluster first with npm run lab -- ${stack} up`,
    ko: (stack, why) =>
      `스택 "${stack}"을(를) 읽지 못했습니다 (${why}): 먼저 npm run lab -- ${stack} up 으로 실습용 클러스터를 만드세요`,
  }),
  nodeDownNotWorker: both({
    en: (name: string, workers: readonly string[]) =>
      `lab:ch6.nodeDown: "${name}" is not a worker of the lab cluster; its workers: ${list(workers)}`,
    ko: (name, workers) =>
      `lab:ch6.nodeDown: "${name}"은(는) 실습용 클러스터의 워커가 아닙니다. 워커: ${list(workers)}`,
  }),
  unknownCommand: both({
    en: (command: string, stack: string, guess: string) =>
      `"${command}" is not a Pulumi command, so nothing was done to stack "${stack}".${guess} The commands of the labs: preview, up, destroy, refresh, config, stack output; every command: npm run lab -- ${stack} --help`,
    ko: (command, stack, guess) =>
      `"${command}"은(는) Pulumi 명령이 아니어서 스택 "${stack}"에는 아무것도 하지 않았습니다.${guess} 실습에서 쓰는 명령: preview, up, destroy, refresh, config, stack output. 모든 명령: npm run lab -- ${stack} --help`,
  }),
  didYouMeanCommand: both({
    en: (stack: string, command: string) => ` Did you mean npm run lab -- ${stack} ${command}?`,
    ko: (stack, command) => ` 혹시 npm run lab -- ${stack} ${command} 명령인가요?`,
  }),
  didYouMeanStack: both({
    en: (stack: string) => ` Did you mean ${stack}?`,
    ko: (stack) => ` 혹시 ${stack} 스택인가요?`,
  }),

  // ---- the machine: the Pulumi CLI, Vagrant, VirtualBox and the lab's VMs ---------------------
  cliNotDownloaded: both({
    en: (version: string, why: string) =>
      [
        `The Pulumi CLI v${version} could not be downloaded (${why}).`,
        "npm run lab fetches it once from get.pulumi.com, then works offline. Either:",
        "  - connect to the internet once and run the command again;",
        "  - behind a proxy, set HTTPS_PROXY (e.g. HTTPS_PROXY=http://proxy:3128) and run it again;",
        "  - or install the Pulumi CLI yourself (https://www.pulumi.com/docs/install/) so that `pulumi` is on PATH.",
      ].join("\n"),
    ko: (version, why) =>
      [
        `Pulumi CLI v${version}을(를) 내려받지 못했습니다 (${why}).`,
        "npm run lab은 get.pulumi.com에서 CLI를 한 번만 받아 두고, 그 뒤로는 오프라인에서도 동작합니다. 다음 중 하나를 하세요:",
        "  - 인터넷에 한 번 연결한 뒤 명령을 다시 실행하기",
        "  - 프록시를 거친다면 HTTPS_PROXY를 설정하고(예: HTTPS_PROXY=http://proxy:3128) 다시 실행하기",
        "  - 또는 Pulumi CLI를 직접 설치해서(https://www.pulumi.com/docs/install/) `pulumi`를 PATH에서 찾을 수 있게 하기",
      ].join("\n"),
  }),
  passphraseMismatch: both({
    en: (stack: string, variable: string, labPassphrase: string) =>
      [
        `Pulumi.${stack}.yaml holds the check value (encryptionsalt) of the lab passphrase ${labPassphrase}, and the passphrase in ${variable} does not open it, so Pulumi would refuse to work on stack "${stack}". Either:`,
        `  - unset ${variable}: npm run lab then uses the lab passphrase ${labPassphrase}, which everyone who has this project knows;`,
        `  - or, to encrypt this stack's secrets with your own passphrase, delete the line encryptionsalt: ... from Pulumi.${stack}.yaml before the stack's first run: Pulumi then writes one for your passphrase (your Pulumi.${stack}.yaml then differs from the repository's).`,
      ].join("\n"),
    ko: (stack, variable, labPassphrase) =>
      [
        `Pulumi.${stack}.yaml에는 실습용 암호 ${labPassphrase}의 확인 값(encryptionsalt)이 들어 있는데, ${variable}의 암호로는 열리지 않습니다. 그래서 Pulumi가 스택 "${stack}"의 작업을 거부합니다. 다음 중 하나를 하세요:`,
        `  - ${variable}를 지우기: 그러면 npm run lab이 실습용 암호 ${labPassphrase}를 씁니다. 이 프로젝트를 가진 사람이면 누구나 아는 암호입니다.`,
        `  - 또는 이 스택의 시크릿을 자기 암호로 암호화하려면, 스택을 처음 실행하기 전에 Pulumi.${stack}.yaml에서 encryptionsalt: ... 줄을 지우기: Pulumi가 그 암호의 확인 값을 새로 씁니다(그러면 내 Pulumi.${stack}.yaml이 저장소의 것과 달라집니다).`,
      ].join("\n"),
  }),
  pluginInstalling: both({
    en: (name: string, version: string, dir: string) =>
      `Installing the Pulumi plugin ${name} v${version}, which the program needs, into ${dir} (once; downloaded by the Pulumi CLI)`,
    ko: (name, version, dir) =>
      `프로그램에 필요한 Pulumi 플러그인 ${name} v${version}을(를) ${dir}에 설치합니다(한 번만, Pulumi CLI가 내려받습니다)`,
  }),
  pluginNotDownloaded: both({
    en: (name: string, version: string, why: string, dir: string, missing: readonly string[]) =>
      [
        `The Pulumi plugin ${name} v${version}, which the program needs, could not be downloaded (${why}).`,
        `npm run lab installs the plugins once, into ${dir}, then works offline. Either:`,
        "  - connect to the internet once and run the command again;",
        "  - behind a proxy, set HTTPS_PROXY (e.g. HTTPS_PROXY=http://proxy:3128) and run it again;",
        `  - or, on a machine with internet, install them with the Pulumi CLI and copy each folder resource-<name>-v<version> of its ~/.pulumi/plugins into ${dir}:`,
        ...missing.map((command) => `      ${command}`),
      ].join("\n"),
    ko: (name, version, why, dir, missing) =>
      [
        `프로그램에 필요한 Pulumi 플러그인 ${name} v${version}을(를) 내려받지 못했습니다 (${why}).`,
        `npm run lab은 플러그인을 ${dir}에 한 번만 설치하고, 그 뒤로는 오프라인에서도 동작합니다. 다음 중 하나를 하세요:`,
        "  - 인터넷에 한 번 연결한 뒤 명령을 다시 실행하기",
        "  - 프록시를 거친다면 HTTPS_PROXY를 설정하고(예: HTTPS_PROXY=http://proxy:3128) 다시 실행하기",
        `  - 또는 인터넷이 되는 컴퓨터에서 Pulumi CLI로 설치한 뒤, 그 컴퓨터의 ~/.pulumi/plugins에 생긴 resource-<name>-v<version> 폴더를 이 컴퓨터의 ${dir}에 복사하기:`,
        ...missing.map((command) => `      ${command}`),
      ].join("\n"),
  }),
  startingVmsToDestroy: both({
    en: (owner: string, stopped: readonly string[]) =>
      `The VMs of stack "${owner}" are stopped (${list(stopped)}): starting them, so that what runs on them can be undone.`,
    ko: (owner, stopped) =>
      `스택 "${owner}"의 VM이 멈춰 있습니다(${list(stopped)}): VM에서 실행 중인 것을 되돌릴 수 있도록 VM을 시작합니다.`,
  }),
  vmsGone: both({
    en: (stack: string, owner: string, count: number) =>
      `The VMs of stack "${owner}" are gone: ${count} resources of stack "${stack}" lived on them (commands run on the VMs, Kubernetes objects, Docker containers) and went with them; they are dropped from the state before destroy.`,
    ko: (stack, owner, count) =>
      `스택 "${owner}"의 VM이 없어졌습니다: 그 VM 위에 있던 스택 "${stack}"의 리소스 ${count}개(VM에서 실행한 명령, Kubernetes 오브젝트, Docker 컨테이너)도 함께 사라졌으므로, destroy 전에 상태(state)에서 지웁니다.`,
  }),
  stoppedVmsPreview: both({
    en: (owner: string, stopped: readonly string[], dir: string) =>
      `the VMs of stack "${owner}" are stopped (${list(stopped)}): pulumi up starts them first (by hand: node host/vm.js resume ${dir}); until then this preview cannot read the cluster`,
    ko: (owner, stopped, dir) =>
      `스택 "${owner}"의 VM이 멈춰 있습니다(${list(stopped)}): pulumi up이 먼저 VM을 시작합니다(직접 시작하려면: node host/vm.js resume ${dir}). 그 전까지 이 preview는 클러스터를 읽을 수 없습니다`,
  }),
  stoppedVmsStarting: both({
    en: (owner: string, stopped: readonly string[]) =>
      `the VMs of stack "${owner}" are stopped (${list(stopped)}): starting them, then waiting for the API server`,
    ko: (owner, stopped) =>
      `스택 "${owner}"의 VM이 멈춰 있습니다(${list(stopped)}): VM을 시작하고 API 서버가 준비되기를 기다립니다`,
  }),
  hostNotReady: both({
    en: (stack: string) =>
      `Stack "${stack}" builds VirtualBox VMs with Vagrant, and this machine is not ready:`,
    ko: (stack) =>
      `스택 "${stack}"은(는) Vagrant로 VirtualBox VM을 만드는데, 이 컴퓨터는 아직 준비되지 않았습니다:`,
  }),
  vagrantMissing: both({
    en: () =>
      "Vagrant is not installed (or not on PATH): https://developer.hashicorp.com/vagrant/install",
    ko: () =>
      "Vagrant가 설치되어 있지 않습니다(또는 PATH에 없습니다): https://developer.hashicorp.com/vagrant/install",
  }),
  virtualBoxMissing: both({
    en: () =>
      "VirtualBox is not installed (VBoxManage not found): https://www.virtualbox.org/wiki/Downloads",
    ko: () =>
      "VirtualBox가 설치되어 있지 않습니다(VBoxManage를 찾을 수 없습니다): https://www.virtualbox.org/wiki/Downloads",
  }),
  vagrantTooOld: both({
    en: (vagrant: string, vbox: string, minor: string, needed: string, known: readonly string[]) =>
      [
        `Vagrant ${vagrant} does not support VirtualBox ${vbox}: VirtualBox ${minor} needs Vagrant ${needed} or later.`,
        "  Install a newer Vagrant (https://developer.hashicorp.com/vagrant/install; the Debian and Ubuntu",
        `  packages are older), or a VirtualBox that Vagrant ${vagrant} supports (${list(known)}).`,
      ].join("\n"),
    ko: (vagrant, vbox, minor, needed, known) =>
      [
        `Vagrant ${vagrant}은(는) VirtualBox ${vbox}을(를) 지원하지 않습니다: VirtualBox ${minor}에는 Vagrant ${needed} 이상이 필요합니다.`,
        "  더 새로운 Vagrant를 설치하거나(https://developer.hashicorp.com/vagrant/install, Debian과 Ubuntu의",
        `  패키지는 이보다 오래되었습니다), Vagrant ${vagrant}이(가) 지원하는 VirtualBox(${list(known)})를 설치하세요.`,
      ].join("\n"),
  }),
  addressesTaken: both({
    en: (
      other: string,
      vms: readonly string[],
      running: readonly string[],
      stack: string,
      canBuildOnCluster: boolean,
    ) =>
      [
        `stack "${other}" already has VMs on these addresses (${list(vms)}; ${running.length === vms.length ? "running" : running.length > 0 ? `running: ${list(running)}` : "stopped"}). Either:`,
        ...(canBuildOnCluster
          ? [
              `    build on its cluster: npm run lab -- ${stack} config set lab:cluster.mode stack, and npm run lab -- ${stack} config set lab:cluster.stack ${other}`,
            ]
          : []),
        `    remove it first: npm run lab -- ${other} destroy`,
        `    or put this stack on other addresses: npm run lab -- ${stack} config set lab:network.prefix <prefix>`,
      ].join("\n"),
    ko: (other, vms, running, stack, canBuildOnCluster) =>
      [
        `스택 "${other}"의 VM이 이미 이 주소를 쓰고 있습니다(${list(vms)}; ${running.length === vms.length ? "실행 중" : running.length > 0 ? `실행 중: ${list(running)}` : "멈춰 있음"}). 다음 중 하나를 하세요:`,
        ...(canBuildOnCluster
          ? [
              `    그 스택의 클러스터 위에서 실습하기: npm run lab -- ${stack} config set lab:cluster.mode stack, 그리고 npm run lab -- ${stack} config set lab:cluster.stack ${other}`,
            ]
          : []),
        `    그 스택을 먼저 지우기: npm run lab -- ${other} destroy`,
        `    또는 이 스택을 다른 주소로 옮기기: npm run lab -- ${stack} config set lab:network.prefix <prefix>`,
      ].join("\n"),
  }),
  hostOnlyRefused: both({
    en: (
      ranges: readonly string[],
      conf: string,
      refused: readonly string[],
      stack: string,
      prefix: string,
    ) =>
      [
        `VirtualBox allows host-only addresses only in ${list(ranges)} (${conf}), and ${list(refused)} are outside.`,
        `  Either use the default prefix: npm run lab -- ${stack} config set lab:network.prefix ${NETWORK.defaultPrefix}`,
        `  or allow yours: add the line "* ${prefix}.0/24" to ${conf} (as root).`,
      ].join("\n"),
    ko: (ranges, conf, refused, stack, prefix) =>
      [
        `VirtualBox는 호스트 전용 주소를 ${list(ranges)} 범위에서만 허용하는데(${conf}), ${list(refused)}은(는) 그 범위 밖에 있습니다. 다음 중 하나를 하세요:`,
        `  기본 대역 쓰기: npm run lab -- ${stack} config set lab:network.prefix ${NETWORK.defaultPrefix}`,
        `  또는 지금 대역 허용하기: ${conf}에 "* ${prefix}.0/24" 줄을 추가하기(root 권한으로)`,
      ].join("\n"),
  }),

  // ---- what a stack's outputs and the offline plan tell the reader -------------------------------
  // Commands, keys and names inside them stay verbatim; the prose around them follows the locale.
  clusterOwnVms: both({
    en: (count: number, names: readonly string[], dir: string, kubernetes: string) =>
      `vagrant: ${count} VMs (${list(names)}) in ${dir}/, Kubernetes ${kubernetes}`,
    ko: (count, names, dir, kubernetes) =>
      `vagrant: VM ${count}대(${list(names)}), 작업 폴더 ${dir}/, 쿠버네티스 ${kubernetes}`,
  }),
  clusterOfStack: both({
    en: (other: string, names: readonly string[], kubernetes: string) =>
      `stack: the lab cluster of stack ${other} (${list(names)}, Kubernetes ${kubernetes})`,
    ko: (other, names, kubernetes) =>
      `stack: 스택 ${other}의 실습용 클러스터(${list(names)}, 쿠버네티스 ${kubernetes})`,
  }),
  clusterRendered: both({
    en: (dir: string) => `render: manifests are written to ${dir}/ (nothing is applied)`,
    ko: (dir) => `render: 매니페스트를 ${dir}/에 씁니다(클러스터에는 아무것도 적용하지 않습니다)`,
  }),
  clusterOfKubeconfig: both({
    en: (context: string | undefined, source: string) =>
      `kubeconfig: ${context ? `context ${context}` : "current context"} of ${source}`,
    ko: (context, source) =>
      `kubeconfig: ${source}의 ${context ? `컨텍스트 ${context}` : "현재 컨텍스트"}`,
  }),
  kubeconfigDefaultSource: both({
    en: () => "$KUBECONFIG or ~/.kube/config",
    ko: () => "$KUBECONFIG 또는 ~/.kube/config",
  }),
  kubeconfigSecretSource: both({
    en: () => "the kubeconfig in secret config",
    ko: () => "시크릿 설정에 있는 kubeconfig",
  }),
  buildOnThisCluster: both({
    en: (command: string) => `${command}   # or any other chapter: they build on this cluster`,
    ko: (command) => `${command}   # 다른 장도 됩니다: 모두 이 클러스터 위에서 실습합니다`,
  }),
  nodeAddress: both({ en: () => "<node address>", ko: () => "<노드 주소>" }),
  nodePortPicked: both({
    en: (service: string) => `the node port the API server picks: kubectl get service ${service}`,
    ko: (service) => `API 서버가 정하는 노드포트: kubectl get service ${service}`,
  }),
  autoscaleRange: both({
    en: (min: number, max: number, cpu: number) => `${min}..${max} pods at ${cpu}% CPU`,
    ko: (min, max, cpu) => `파드 ${min}..${max}개, CPU ${cpu}% 기준`,
  }),
  speakerPerNode: both({
    en: (command: string) => `${command}  # one speaker per node`,
    ko: (command) => `${command}  # 노드마다 speaker가 하나씩`,
  }),
  cordonDrainRendered: both({
    en: () => "render mode: cordon and drain act on a running cluster and are left out",
    ko: () => "render 모드: cordon과 drain은 실행 중인 클러스터에서만 하므로 빠집니다",
  }),
  failureLabsOff: both({
    en: () => "off (lab:ch4.failureLabs true turns them on)",
    ko: () => "꺼짐 (lab:ch4.failureLabs를 true로 하면 켜집니다)",
  }),
  slackNotices: both({
    en: (channel: string) => `notices to ${channel}`,
    ko: (channel) => `${channel} 채널로 알림`,
  }),
  slackOff: both({
    en: () => "off (set lab:ch6.slackWebhook as a secret)",
    ko: () => "꺼짐 (lab:ch6.slackWebhook을 시크릿으로 설정하면 켜집니다)",
  }),
  addressPending: both({
    en: (command: string) => `pending: ${command}`,
    ko: (command) => `주소 대기 중: ${command}`,
  }),
  notAppliedRendered: both({
    en: () => "not applied (render mode)",
    ko: () => "적용하지 않음 (render 모드)",
  }),
  noLoadBalancerOwnCluster: both({
    en: (service: string, forward: string) =>
      `pending: a cluster without a load balancer (kind, minikube) leaves ${service} <pending>; ${forward}, or run minikube tunnel (minikube) or cloud-provider-kind (kind) and watch kubectl get service ${service}`,
    ko: (service, forward) =>
      `주소 대기 중: 로드밸런서가 없는 클러스터(kind, minikube)에서는 ${service}가 <pending>으로 남습니다. ${forward} 하거나, minikube tunnel(minikube) 또는 cloud-provider-kind(kind)를 실행하고 kubectl get service ${service}로 지켜보세요`,
  }),
  noLoadBalancerLabCluster: both({
    en: (forward: string) =>
      `pending: the lab cluster gives LoadBalancer addresses once MetalLB is on it (npm run lab -- ch3 up, or ch5, ch6, kia); until then ${forward}`,
    ko: (forward) =>
      `주소 대기 중: 실습용 클러스터는 MetalLB가 설치되어야 LoadBalancer 주소를 줍니다(npm run lab -- ch3 up, 또는 ch5, ch6, kia). 그때까지는 ${forward}`,
  }),
  portForward: both({
    en: (service: string, port: number) =>
      `kubectl port-forward service/${service} 8080:${port}, then http://127.0.0.1:8080`,
    ko: (service, port) =>
      `kubectl port-forward service/${service} 8080:${port} 실행 후 http://127.0.0.1:8080`,
  }),
  planHeader: both({
    en: (stack: string, chapter: string, resources: number, components: number) =>
      `Stack ${stack}: chapter ${chapter}, ${resources} resources (${components} components)`,
    ko: (stack, chapter, resources, components) =>
      `스택 ${stack}: 장 ${chapter}, 리소스 ${resources}개 (컴포넌트 ${components}개)`,
  }),
  planOutputs: both({ en: () => "Outputs:", ko: () => "출력:" }),
  planFooter: both({
    en: (seconds: string) => `Planned offline in ${seconds} s; nothing was changed.`,
    ko: (seconds) => `오프라인으로 ${seconds}초 만에 계획했습니다. 바뀐 것은 없습니다.`,
  }),
};

/** The messages of one language: the same names, the same parameters. */
export type Messages = { readonly [K in keyof typeof CATALOGUE]: (typeof CATALOGUE)[K]["en"] };

const byLanguage = new Map<Language, Messages>();

/** The messages in the reader's language (the locale's, see `language`), or in the one given. */
export function messages(lang: Language = language()): Messages {
  let m = byLanguage.get(lang);
  if (!m) {
    m = Object.fromEntries(
      Object.entries(CATALOGUE).map(([name, texts]) => [name, texts[lang]]),
    ) as unknown as Messages;
    byLanguage.set(lang, m);
  }
  return m;
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}
