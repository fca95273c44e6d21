/** An error the Docker API returns; the message is dockerd's own text. */
export class DockerError extends Error {}
