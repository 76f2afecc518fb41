import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HostedZone } from "../lib/edge";

export interface DomainCertificateArgs {
    /** The public name the certificate is for. */
    readonly domainName: string;
    /** The Route 53 public hosted zone that holds it: by id, or looked up by name. */
    readonly zone: HostedZone;
    /** Use this ACM certificate instead of requesting one (the alias record still needs the zone). */
    readonly existingCertificateArn?: string;
}

/**
 * The public name's hosted zone and its certificate: an ACM certificate for the one name,
 * validated through DNS in that zone — the certificate, its validation record, and the
 * wait until ACM has issued it, so a listener never points at a certificate still pending
 * validation. With `existingCertificateArn`, only the zone is resolved.
 */
export class DomainCertificate extends pulumi.ComponentResource {
    /** The issued certificate: resolves only once validation has succeeded. */
    public readonly certificateArn: pulumi.Output<string>;
    /** The hosted zone, for the alias record to the load balancer. */
    public readonly zoneId: pulumi.Output<string>;

    constructor(name: string, args: DomainCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webfleet:edge:DomainCertificate", name, {}, opts);

        const zoneId =
            args.zone.kind === "id"
                ? pulumi.output(args.zone.id)
                : aws.route53.getZoneOutput({ name: args.zone.name, privateZone: false }, { parent: this }).zoneId;

        this.certificateArn =
            args.existingCertificateArn !== undefined
                ? pulumi.output(args.existingCertificateArn)
                : this.requestCertificate(name, args.domainName, zoneId);
        this.zoneId = zoneId;
        this.registerOutputs({ certificateArn: this.certificateArn, zoneId: this.zoneId });
    }

    /** Certificate, validation record, and the wait for ACM to issue it; returns the issued ARN. */
    private requestCertificate(name: string, domainName: string, zoneId: pulumi.Output<string>): pulumi.Output<string> {
        const certificate = new aws.acm.Certificate(`${name}-cert`, {
            domainName,
            validationMethod: "DNS",
            tags: { Name: domainName },
        }, { parent: this });

        // One name, no alternative names: ACM asks for exactly one validation record.
        const option = certificate.domainValidationOptions.apply((options) => {
            const found = options.find((o) => o.domainName === domainName);
            if (found === undefined) {
                throw new Error(`ACM returned no DNS validation option for ${domainName}`);
            }
            return found;
        });
        const record = new aws.route53.Record(`${name}-validation`, {
            zoneId,
            name: option.resourceRecordName,
            type: option.resourceRecordType,
            records: [option.resourceRecordValue],
            ttl: 300,
            // A re-run (or a second stack validating the same name) finds the record already there.
            allowOverwrite: true,
        }, { parent: this });
        const validation = new aws.acm.CertificateValidation(`${name}-validated`, {
            certificateArn: certificate.arn,
            validationRecordFqdns: [record.fqdn],
        }, { parent: this });
        return validation.certificateArn;
    }
}
