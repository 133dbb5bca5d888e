import * as pulumi from "@pulumi/pulumi";

/** Arguments of a `BookSection`. */
export interface BookSectionArgs {
  /** The section's heading as the book or the notes print it, shown in `pulumi preview`. */
  readonly title: string;
  /** Where the section comes from, e.g. `book 3.2.10` or `practice notes`. */
  readonly source: string;
}

/**
 * Groups the objects of one lab section so that `pulumi preview` and the plan tool show them under
 * the section they come from, in book order.
 */
export class BookSection extends pulumi.ComponentResource {
  /** The section's heading. */
  public readonly title: string;

  constructor(name: string, args: BookSectionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("k8sinfra:book:Section", name, { title: args.title, source: args.source }, opts);
    this.title = args.title;
    this.registerOutputs({ title: args.title, source: args.source });
  }
}
