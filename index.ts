// k8sinfra-lab: the chapter selected by `lab:chapter` (default: the stack name); its outputs are
// the stack outputs.
import { runLab } from "./lib/lab";

export = runLab();
