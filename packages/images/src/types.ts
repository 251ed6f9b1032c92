/** What a container is asked to run. Paths inside the container are resolved under rootfs. */
export interface ContainerSpec {
  /** Image reference, e.g. "nginx:1.25", "busybox", "registry.k8s.io/e2e-test-images/agnhost:2.40". */
  image: string;
  /** Kubernetes `command` (replaces the image entrypoint). */
  command?: string[];
  /** Kubernetes `args` (replaces the image cmd). */
  args?: string[];
  /** Fully resolved environment. */
  env: Record<string, string>;
  /** Container path of the working directory. */
  workingDir?: string;
  /** Host directory that is this container's "/" (exists, writable). */
  rootfs: string;
  /** Volumes: container path -> host directory. */
  mounts: ContainerMount[];
  /** The address servers listen on (127.x.y.z). */
  podIP: string;
  /** The pod name (what `hostname` prints). */
  hostname: string;
  /** Content of /etc/resolv.conf (the kubelet's for dnsPolicy ClusterFirst); names resolve through it. */
  resolvConf?: string;
}

/** One volume mount: the host directory `hostPath` appears at `mountPath` inside the container. */
export interface ContainerMount {
  mountPath: string;
  hostPath: string;
  readOnly?: boolean;
}

/** Where a container's output goes. */
export interface ContainerIo {
  stdout: (chunk: string | Uint8Array) => void;
  stderr: (chunk: string | Uint8Array) => void;
  /** The container's standard input (`kubectl exec -i`); at end of file from the start when absent. */
  stdin?: AsyncIterable<Uint8Array>;
}

/** What an image reference resolved to. */
export interface ImageInfo {
  /** The image family, e.g. "nginx", "busybox", "kubesim/echo". */
  name: string;
  /** The fully qualified reference, e.g. "docker.io/library/nginx:1.25". */
  canonical: string;
  /** One line on what the image does. */
  description: string;
  /** A stable digest reference for status.containerStatuses[].imageID. */
  imageID: string;
}
