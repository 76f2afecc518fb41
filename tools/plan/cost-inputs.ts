/**
 * What the stack runs, read from the resources the program registered, as the billable
 * items lib/cost.ts prices. Pure: recorded inputs in, CostItems out. Each item is filed
 * under its component's class (WebService, Database, …), from the parent the program gave it.
 */
import { CostItem } from "../../lib/cost";
import { DiffableResource } from "./diff";

function num(v: unknown): number | undefined {
    const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
    return Number.isFinite(n) ? n : undefined;
}

function rec(v: unknown): Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v)) : {};
}

/** `webfleet:web:WebService` parent → "WebService"; no parent → "(top level)". */
export function componentOf(r: DiffableResource, all: readonly DiffableResource[]): string {
    const parent = r.options?.parent;
    const owner = parent === undefined ? undefined : all.find((c) => c.name === parent && !c.type.startsWith("aws:"));
    return owner === undefined ? "(top level)" : owner.type.split(":").pop() ?? owner.type;
}

export function costItems(resources: readonly DiffableResource[]): CostItem[] {
    const items: CostItem[] = [];
    const of = (type: string): DiffableResource[] => resources.filter((r) => r.type === type);
    const scaling = of("aws:appautoscaling/target:Target")[0];
    for (const task of of("aws:ecs/taskDefinition:TaskDefinition")) {
        const service = of("aws:ecs/service:Service")[0];
        const tasks = num(service?.inputs["desiredCount"]) ?? 0;
        const arch = rec(task.inputs["runtimePlatform"])["cpuArchitecture"] === "ARM64" ? "ARM64" : "X86_64";
        items.push({
            kind: "fargate",
            component: componentOf(task, resources),
            cpuUnits: num(task.inputs["cpu"]) ?? 0,
            memoryMiB: num(task.inputs["memory"]) ?? 0,
            arch,
            tasks,
            maxTasks: Math.max(tasks, num(scaling?.inputs["maxCapacity"]) ?? tasks),
        });
    }
    for (const lb of of("aws:lb/loadBalancer:LoadBalancer")) {
        items.push({ kind: "alb", component: componentOf(lb, resources) });
        const subnets = lb.inputs["subnets"];
        if (lb.inputs["internal"] !== true && Array.isArray(subnets)) {
            items.push({ kind: "publicIpv4", component: componentOf(lb, resources), count: subnets.length, what: "one per ALB subnet" });
        }
    }
    for (const nat of of("aws:ec2/natGateway:NatGateway")) {
        items.push({ kind: "nat", component: componentOf(nat, resources) });
    }
    for (const eip of of("aws:ec2/eip:Eip")) {
        items.push({ kind: "publicIpv4", component: componentOf(eip, resources), count: 1, what: "NAT gateway Elastic IP" });
    }
    for (const db of of("aws:rds/instance:Instance")) {
        items.push({
            kind: "rds",
            component: componentOf(db, resources),
            instanceClass: String(db.inputs["instanceClass"] ?? "?"),
            multiAz: db.inputs["multiAz"] === true,
            storageGb: num(db.inputs["allocatedStorage"]) ?? 0,
        });
    }
    for (const rg of of("aws:elasticache/replicationGroup:ReplicationGroup")) {
        items.push({
            kind: "cache",
            component: componentOf(rg, resources),
            nodeType: String(rg.inputs["nodeType"] ?? "?"),
            nodes: num(rg.inputs["numCacheClusters"]) ?? 1,
            engine: String(rg.inputs["engine"] ?? "redis"),
        });
    }
    for (const s of of("aws:secretsmanager/secret:Secret")) {
        items.push({ kind: "secret", component: componentOf(s, resources) });
    }
    for (const g of of("aws:cloudwatch/logGroup:LogGroup")) {
        items.push({ kind: "logs", component: componentOf(g, resources), retentionDays: num(g.inputs["retentionInDays"]) ?? 3653 });
    }
    for (const repo of of("aws:ecr/repository:Repository")) {
        items.push({ kind: "ecr", component: componentOf(repo, resources) });
    }
    for (const a of of("aws:cloudwatch/metricAlarm:MetricAlarm")) {
        items.push({ kind: "alarm", component: componentOf(a, resources) });
    }
    return items;
}
