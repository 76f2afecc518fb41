/**
 * Inputs whose change makes the provider REPLACE the resource (delete + create) instead of
 * updating it in place, for the resource types this program uses. The AWS provider for
 * Pulumi is bridged from terraform-provider-aws: an argument with `ForceNew: true` (or
 * `RequiresReplace` in framework resources) in the Terraform schema is a replacement in
 * `pulumi preview`. Pulumi names are the camelCase of the Terraform snake_case names.
 *
 * Every entry cites the provider file it comes from. `read: true` marks entries whose
 * schema was read line by line while writing this table (webfleet issue 9); the others
 * come from the same files but were not re-read then: check them there before relying on
 * a "no replacement" verdict. Types without an entry are assumed to update in place.
 *
 * Conditional replacements are listed in `conditional` with the condition in words; the
 * plan says "may replace" for them.
 */
export interface ForceNewEntry {
    readonly inputs: readonly string[];
    /** Inputs that replace only under a condition the plan cannot evaluate offline. */
    readonly conditional?: Readonly<Record<string, string>>;
    /** Repository and file of the schema, e.g. terraform-provider-aws internal/service/ecs/task_definition.go. */
    readonly source: string;
    readonly read: boolean;
}

const TF_AWS = "hashicorp/terraform-provider-aws";

export const FORCE_NEW: Readonly<Record<string, ForceNewEntry>> = {
    "aws:ecs/taskDefinition:TaskDefinition": {
        // Every change registers a new revision: the service then rolls out new tasks.
        inputs: ["containerDefinitions", "cpu", "memory", "family", "executionRoleArn", "taskRoleArn", "networkMode", "requiresCompatibilities", "runtimePlatform", "volumes", "ephemeralStorage", "ipcMode", "pidMode", "placementConstraints", "proxyConfiguration", "inferenceAccelerators"],
        source: `${TF_AWS} internal/service/ecs/task_definition.go`,
        read: true,
    },
    "aws:ecs/service:Service": {
        inputs: ["name", "cluster", "launchType", "iamRole", "schedulingStrategy"],
        source: `${TF_AWS} internal/service/ecs/service.go`,
        read: false,
    },
    "aws:ecs/cluster:Cluster": { inputs: ["name"], source: `${TF_AWS} internal/service/ecs/cluster.go`, read: false },
    "aws:rds/instance:Instance": {
        // Not here, so updated in place: instanceClass, multiAz, allocatedStorage, parameterGroupName, engineVersion.
        inputs: ["identifier", "identifierPrefix", "dbName", "engine", "username", "storageEncrypted", "kmsKeyId", "characterSetName", "ncharCharacterSetName", "snapshotIdentifier", "timezone", "availabilityZone", "customIamInstanceProfile"],
        source: `${TF_AWS} internal/service/rds/instance.go`,
        read: true,
    },
    "aws:rds/parameterGroup:ParameterGroup": {
        inputs: ["name", "namePrefix", "family", "description"],
        source: `${TF_AWS} internal/service/rds/parameter_group.go`,
        read: false,
    },
    "aws:rds/subnetGroup:SubnetGroup": { inputs: ["name", "namePrefix"], source: `${TF_AWS} internal/service/rds/subnet_group.go`, read: false },
    "aws:elasticache/replicationGroup:ReplicationGroup": {
        // Not here, so updated in place: nodeType, numCacheClusters, engineVersion (upgrade), multiAzEnabled, automaticFailoverEnabled.
        inputs: ["replicationGroupId", "atRestEncryptionEnabled", "kmsKeyId", "port", "subnetGroupName", "dataTieringEnabled", "networkType", "globalReplicationGroupId", "securityGroupNames", "snapshotArns", "snapshotName"],
        conditional: {
            transitEncryptionEnabled: "replaces when the running engine is older than Redis 7.0.5 (CustomizeDiff)",
            engineVersion: "replaces on a downgrade (CustomizeDiff)",
            engine: "replaces on a change from valkey back to redis (CustomizeDiff)",
        },
        source: `${TF_AWS} internal/service/elasticache/replication_group.go`,
        read: true,
    },
    "aws:elasticache/subnetGroup:SubnetGroup": { inputs: ["name"], source: `${TF_AWS} internal/service/elasticache/subnet_group.go`, read: false },
    "aws:lb/loadBalancer:LoadBalancer": {
        inputs: ["name", "namePrefix", "internal", "loadBalancerType"],
        source: `${TF_AWS} internal/service/elbv2/load_balancer.go`,
        read: false,
    },
    "aws:lb/targetGroup:TargetGroup": {
        inputs: ["name", "namePrefix", "port", "protocol", "protocolVersion", "targetType", "vpcId", "ipAddressType"],
        source: `${TF_AWS} internal/service/elbv2/target_group.go`,
        read: true,
    },
    "aws:lb/listener:Listener": { inputs: ["loadBalancerArn"], source: `${TF_AWS} internal/service/elbv2/listener.go`, read: false },
    "aws:appautoscaling/target:Target": {
        inputs: ["resourceId", "scalableDimension", "serviceNamespace"],
        source: `${TF_AWS} internal/service/appautoscaling/target.go`,
        read: false,
    },
    "aws:appautoscaling/policy:Policy": {
        inputs: ["name", "resourceId", "scalableDimension", "serviceNamespace"],
        source: `${TF_AWS} internal/service/appautoscaling/policy.go`,
        read: false,
    },
    "aws:ec2/vpc:Vpc": { inputs: ["cidrBlock"], source: `${TF_AWS} internal/service/ec2/vpc_.go`, read: false },
    "aws:ec2/subnet:Subnet": {
        inputs: ["vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId"],
        source: `${TF_AWS} internal/service/ec2/vpc_subnet.go`,
        read: false,
    },
    "aws:ec2/securityGroup:SecurityGroup": {
        inputs: ["name", "namePrefix", "description", "vpcId"],
        source: `${TF_AWS} internal/service/ec2/vpc_security_group.go`,
        read: false,
    },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
        inputs: ["securityGroupId"],
        source: `${TF_AWS} internal/service/ec2/vpc_security_group_ingress_rule.go`,
        read: false,
    },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
        inputs: ["securityGroupId"],
        source: `${TF_AWS} internal/service/ec2/vpc_security_group_egress_rule.go`,
        read: false,
    },
    "aws:ec2/eip:Eip": { inputs: ["domain"], source: `${TF_AWS} internal/service/ec2/ec2_eip.go`, read: false },
    "aws:ec2/natGateway:NatGateway": {
        inputs: ["allocationId", "subnetId", "connectivityType", "privateIp"],
        source: `${TF_AWS} internal/service/ec2/vpc_nat_gateway.go`,
        read: false,
    },
    "aws:ec2/routeTable:RouteTable": { inputs: ["vpcId"], source: `${TF_AWS} internal/service/ec2/vpc_route_table.go`, read: false },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": {
        inputs: ["subnetId", "gatewayId"],
        source: `${TF_AWS} internal/service/ec2/vpc_route_table_association.go`,
        read: false,
    },
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": {
        inputs: ["vpcId"],
        source: `${TF_AWS} internal/service/ec2/vpc_default_security_group.go`,
        read: false,
    },
    "aws:ecr/repository:Repository": {
        inputs: ["name", "encryptionConfigurations"],
        source: `${TF_AWS} internal/service/ecr/repository.go`,
        read: false,
    },
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": { inputs: ["repository"], source: `${TF_AWS} internal/service/ecr/lifecycle_policy.go`, read: false },
    "aws:cloudwatch/logGroup:LogGroup": {
        inputs: ["name", "namePrefix", "logGroupClass"],
        source: `${TF_AWS} internal/service/logs/group.go`,
        read: false,
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": { inputs: ["name"], source: `${TF_AWS} internal/service/cloudwatch/metric_alarm.go`, read: false },
    "aws:sns/topic:Topic": { inputs: ["name", "namePrefix", "fifoTopic"], source: `${TF_AWS} internal/service/sns/topic.go`, read: false },
    "aws:iam/role:Role": { inputs: ["name", "namePrefix", "path"], source: `${TF_AWS} internal/service/iam/role.go`, read: false },
    "aws:iam/rolePolicy:RolePolicy": { inputs: ["name", "namePrefix", "role"], source: `${TF_AWS} internal/service/iam/role_policy.go`, read: false },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
        inputs: ["role", "policyArn"],
        source: `${TF_AWS} internal/service/iam/role_policy_attachment.go`,
        read: false,
    },
    "aws:secretsmanager/secret:Secret": { inputs: ["name", "namePrefix"], source: `${TF_AWS} internal/service/secretsmanager/secret.go`, read: false },
    "aws:secretsmanager/secretVersion:SecretVersion": {
        inputs: ["secretId"],
        source: `${TF_AWS} internal/service/secretsmanager/secret_version.go`,
        read: false,
    },
    "random:index/randomPassword:RandomPassword": {
        // Every argument of random_password is RequiresReplace: a new length means a new password.
        inputs: ["length", "special", "upper", "lower", "numeric", "minLower", "minUpper", "minNumeric", "minSpecial", "overrideSpecial", "keepers"],
        source: "hashicorp/terraform-provider-random internal/provider/resource_password.go",
        read: false,
    },
};

/** Why changing `input` of `type` replaces the resource, or undefined when it updates in place. */
export function replacementReason(type: string, input: string): string | undefined {
    const entry = FORCE_NEW[type];
    if (entry === undefined) {
        return undefined;
    }
    return entry.inputs.includes(input) ? `${input} is ForceNew (${entry.source})` : undefined;
}

/** A replacement that depends on state the offline plan cannot see, in words; undefined otherwise. */
export function conditionalReplacement(type: string, input: string): string | undefined {
    const condition = FORCE_NEW[type]?.conditional?.[input];
    return condition === undefined ? undefined : `may replace: ${input} ${condition} (${FORCE_NEW[type]?.source ?? ""})`;
}
