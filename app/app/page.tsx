/** A small static home page: proves Next still serves pages behind the lean server. */
export default function Home() {
    return (
        <main>
            <h1>webfleet gateway</h1>
            <p>
                POST JSON-RPC 2.0 to <code>/api/gateway?endpoint=&lt;id&gt;</code>. Liveness at{" "}
                <code>/api/health</code>, readiness at <code>/api/ready</code>.
            </p>
        </main>
    );
}
