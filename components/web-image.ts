import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { CpuArchitecture, dockerPlatform } from "../lib/fargate";

export interface WebImageArgs {
    /** Build context: the app folder holding the Dockerfile. */
    readonly context: string;
    /** Content hash of the app; the image tag and the app's deploymentId. */
    readonly appVersion: string;
    /** Must match the task's runtimePlatform, or tasks fail with "exec format error". */
    readonly cpuArchitecture: CpuArchitecture;
    /** Keep the repository on `pulumi destroy` while it holds images; off lets destroy remove both (dev). */
    readonly deletionProtection: boolean;
    /** How many images to keep; older ones are expired by the lifecycle policy. */
    readonly keepImages?: number;
}

/** The ECR repository and the app image built from `context`, pushed, and pinned by digest. */
export class WebImage extends pulumi.ComponentResource {
    /** Repository URL (without tag). */
    public readonly repositoryUrl: pulumi.Output<string>;
    /** `repo@sha256:…` of the pushed image; the task definition uses this, never a mutable tag. */
    public readonly imageDigest: pulumi.Output<string>;

    constructor(name: string, args: WebImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webfleet:image:WebImage", name, {}, opts);
        const repo = new aws.ecr.Repository(`${name}-repo`, {
            imageScanningConfiguration: { scanOnPush: true },
            imageTagMutability: "MUTABLE", // tasks pin digests; a rebuilt unchanged app may reuse its tag
            encryptionConfigurations: [{ encryptionType: "AES256" }],
            forceDelete: !args.deletionProtection,
        }, { parent: this });

        const keep = args.keepImages ?? 20;
        new aws.ecr.LifecyclePolicy(`${name}-lifecycle`, {
            repository: repo.name,
            policy: JSON.stringify({
                rules: [
                    {
                        rulePriority: 1,
                        description: "expire untagged images after 7 days",
                        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
                        action: { type: "expire" },
                    },
                    {
                        rulePriority: 2,
                        description: `keep the ${keep} most recent images (rollbacks need the previous ones)`,
                        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
                        action: { type: "expire" },
                    },
                ],
            }),
        }, { parent: this });

        const auth = aws.ecr.getAuthorizationTokenOutput({ registryId: repo.registryId }, { parent: this });
        const image = new docker.Image(`${name}-image`, {
            imageName: pulumi.interpolate`${repo.repositoryUrl}:${args.appVersion}`,
            build: {
                context: args.context,
                dockerfile: `${args.context}/Dockerfile`,
                platform: dockerPlatform(args.cpuArchitecture),
                args: { APP_VERSION: args.appVersion },
            },
            // A preview neither builds nor pushes: PR previews need no Docker engine and no ECR
            // push rights (the digest shows as unknown until `pulumi up`). The Dockerfile is
            // built and tested on every PR by `npm run test:image` instead.
            buildOnPreview: false,
            registry: {
                server: repo.repositoryUrl,
                username: auth.userName,
                password: pulumi.secret(auth.password),
            },
        }, { parent: this });

        this.repositoryUrl = repo.repositoryUrl;
        this.imageDigest = image.repoDigest;
        this.registerOutputs({ repositoryUrl: this.repositoryUrl, imageDigest: this.imageDigest });
    }
}
