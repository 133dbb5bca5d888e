// k8sinfra-lab: the chapter selected by `lab:chapter` (default: the stack name); its outputs are
// the stack outputs. Asynchronous: in stack mode the other stack's cluster is read first.
import { runLab } from "./stacks/lab";

const program = runLab();
// A configuration error rejects the promise while this module loads, and Pulumi awaits it only
// after it has looked at the project's files: until then the rejection had no handler, and Node
// printed PromiseRejectionHandledWarning under the message once Pulumi attached one. The handler
// marks it handled at once; Pulumi's await still receives the error and prints it.
program.catch(() => undefined);

export = program;
