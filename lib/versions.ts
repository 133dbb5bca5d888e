/**
 * Images and versions this project chooses where the book's own no longer work, pinned here and
 * nowhere else. The book's own images (for example `nginx:1.10`) stay in `book.ts`.
 */
export const VERSIONS = {
  /**
   * Stands in for the practice notes' `gcr.io/<project>/imageview:{blue,green}`, which were pushed to
   * a private Google registry and cannot be pulled. The official nginx image renders
   * `/etc/nginx/templates/*.template` with the container's environment at start.
   */
  webserverImage: "nginx:1.28-alpine",
} as const;
