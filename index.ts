// k8sinfra-lab: the chapter selected by `lab:chapter` (default: the stack name); its outputs are
// the stack outputs. Asynchronous: in stack mode the other stack's cluster is read first.
import { runLab } from "./stacks/lab";

export = runLab();
