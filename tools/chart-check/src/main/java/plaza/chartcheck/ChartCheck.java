package plaza.chartcheck;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Offline checks on manifests rendered by {@code helm template}.
 *
 * <pre>
 * validate OUTDIR FILE...   schema-validate every core object against the Kubernetes 1.35 models
 *                           (client-java-api), assert the chart's rules on the rendered objects,
 *                           and write custom resources to OUTDIR/&lt;file&gt;.crds.json for the node
 *                           validator and PrometheusRule specs to OUTDIR/&lt;file&gt;.rules.yaml
 * routes FILE               print "prefix service port" for every Ingress path (topology test)
 * </pre>
 * Every check prints one line starting with PASS or FAIL; scripts/check-chart.sh counts them.
 */
public final class ChartCheck {

    /** The URL space of shared/ARCHITECTURE.md: service component → prefixes it must receive. */
    static final Map<String, List<String>> URL_SPACE = new LinkedHashMap<>();

    static {
        URL_SPACE.put("auth", List.of("/auth", "/users", "/health", "/api/v1/echo"));
        URL_SPACE.put("chat", List.of("/chat", "/chat/ws"));
        URL_SPACE.put("assistant", List.of("/ai", "/ai/ws"));
        URL_SPACE.put("catalog", List.of("/kok", "/home-shopping"));
        URL_SPACE.put("recipe", List.of("/recipes"));
        URL_SPACE.put("events", List.of("/events"));
        URL_SPACE.put("recommend", List.of("/recommend"));
        URL_SPACE.put("web", List.of("/", "/app", "/webjars"));
    }

    static final Set<String> CRD_GROUPS = Set.of("monitoring.coreos.com", "gateway.networking.k8s.io");
    static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|passwd|secret|token|api[_-]?key|private[_-]?key|signing[_-]?key).*");
    static final String COMPONENT = "app.kubernetes.io/component";

    private final Gson gson = new GsonBuilder().disableHtmlEscaping().create();
    private int passed;
    private int failed;
    private String file = "";

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            usage();
        }
        ChartCheck check = new ChartCheck();
        switch (args[0]) {
            case "validate" -> {
                if (args.length < 3) {
                    usage();
                }
                Path out = Path.of(args[1]);
                Files.createDirectories(out);
                for (int i = 2; i < args.length; i++) {
                    check.validateFile(Path.of(args[i]), out);
                }
                System.out.printf("chart-check: %d passed, %d failed%n", check.passed, check.failed);
                System.exit(check.failed == 0 ? 0 : 1);
            }
            case "routes" -> check.printRoutes(Path.of(args[1]));
            case "env" -> check.printEnv(Path.of(args[1]), args[2]);
            case "configmap" -> {
                for (Map<String, Object> doc : load(Path.of(args[1]))) {
                    if ("ConfigMap".equals(doc.get("kind")) && args[2].equals(str(get(doc, "metadata", "name")))) {
                        System.out.print(str(get(doc, "data", args[3])));
                    }
                }
            }
            case "parse" -> System.out.println(load(Path.of(args[1])).size() + " documents");
            default -> usage();
        }
    }

    static void usage() {
        System.err.println("usage: ChartCheck validate OUTDIR FILE... | routes FILE | env FILE SERVICE | configmap FILE NAME KEY | parse FILE");
        System.exit(2);
    }

    // ------------------------------------------------------------------ loading

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> load(Path path) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(64 * 1024 * 1024);
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(path)) {
            for (Object doc : new Yaml(options).loadAll(reader)) {
                if (doc instanceof Map<?, ?> map && !map.isEmpty()) {
                    docs.add((Map<String, Object>) map);
                }
            }
        }
        return docs;
    }

    void pass(String what) {
        passed++;
        System.out.println("PASS [" + file + "] " + what);
    }

    void fail(String what, String why) {
        failed++;
        System.out.println("FAIL [" + file + "] " + what + ": " + why);
    }

    void check(boolean ok, String what, String why) {
        if (ok) {
            pass(what);
        } else {
            fail(what, why);
        }
    }

    // ------------------------------------------------------------------ validate

    void validateFile(Path path, Path out) throws IOException {
        file = path.getFileName().toString();
        List<Map<String, Object>> docs = load(path);
        check(!docs.isEmpty(), "render has objects", "no objects rendered");
        List<Object> crds = new ArrayList<>();
        StringBuilder rules = new StringBuilder();
        for (Map<String, Object> doc : docs) {
            String apiVersion = str(doc.get("apiVersion"));
            String kind = str(doc.get("kind"));
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            if (CRD_GROUPS.contains(group)) {
                crds.add(doc);
                if ("PrometheusRule".equals(kind)) {
                    rules.append(new Yaml().dump(get(doc, "spec"))).append("\n");
                }
            } else {
                validateSchema(doc, apiVersion, kind);
            }
        }
        String base = file.replaceFirst("\\.ya?ml$", "");
        Files.writeString(out.resolve(base + ".crds.json"), gson.toJson(crds));
        Files.writeString(out.resolve(base + ".rules.yaml"), rules.toString());
        new Rules(this, docs).run();
    }

    void validateSchema(Map<String, Object> doc, String apiVersion, String kind) {
        String name = kind + "/" + str(get(doc, "metadata", "name"));
        String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
        String className = "io.kubernetes.client.openapi.models."
                + Character.toUpperCase(version.charAt(0)) + version.substring(1) + kind;
        try {
            Class<?> model = Class.forName(className);
            Method fromJson = model.getMethod("fromJson", String.class);
            fromJson.invoke(null, gson.toJson(doc));
            pass("schema " + apiVersion + " " + name);
        } catch (ClassNotFoundException e) {
            fail("schema " + apiVersion + " " + name, "no Kubernetes 1.35 model " + className + " (unknown apiVersion/kind)");
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            fail("schema " + apiVersion + " " + name, String.valueOf(cause.getMessage()).replace('\n', ' '));
        } catch (ReflectiveOperationException e) {
            fail("schema " + apiVersion + " " + name, e.toString());
        }
    }

    // ------------------------------------------------------------------ routes

    void printRoutes(Path path) throws IOException {
        for (Map<String, Object> doc : load(path)) {
            if (!"Ingress".equals(doc.get("kind"))) {
                continue;
            }
            for (Object rule : list(get(doc, "spec", "rules"))) {
                for (Object p : list(get(rule, "http", "paths"))) {
                    System.out.println(str(get(p, "path")) + " " + str(get(p, "backend", "service", "name")) + " "
                            + str(get(p, "backend", "service", "port", "number")));
                }
            }
        }
    }

    /** KEY=VALUE lines of the env the chart gives a service: its ConfigMap plus the plain env of its container. */
    void printEnv(Path path, String service) throws IOException {
        for (Map<String, Object> doc : load(path)) {
            Map<String, Object> labels = map(get(doc, "metadata", "labels"));
            if (!service.equals(str(labels.get(COMPONENT)))) {
                continue;
            }
            if ("ConfigMap".equals(doc.get("kind")) && str(get(doc, "metadata", "name")).endsWith("-env")) {
                map(doc.get("data")).forEach((k, v) -> System.out.println(k + "=" + v));
            }
            if ("Deployment".equals(doc.get("kind")) || "StatefulSet".equals(doc.get("kind"))) {
                for (Object co : list(get(doc, "spec", "template", "spec", "containers"))) {
                    for (Object e : list(get(co, "env"))) {
                        if (get(e, "value") != null) {
                            System.out.println(str(get(e, "name")) + "=" + str(get(e, "value")));
                        } else {
                            System.out.println("#secret " + str(get(e, "name")));
                        }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    static Object get(Object node, String... keys) {
        Object current = node;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    static String str(Object o) {
        return o == null ? "" : String.valueOf(o);
    }

    /** Rules the chart must keep, asserted on the rendered objects. */
    static final class Rules {
        private final ChartCheck c;
        private final List<Map<String, Object>> docs;

        Rules(ChartCheck c, List<Map<String, Object>> docs) {
            this.c = c;
            this.docs = docs;
        }

        List<Map<String, Object>> kind(String kind) {
            return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        }

        static String name(Map<String, Object> doc) {
            return doc.get("kind") + "/" + str(get(doc, "metadata", "name"));
        }

        static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
            if (selector.isEmpty()) {
                return false;
            }
            return selector.entrySet().stream().allMatch(e -> Objects.equals(str(e.getValue()), str(labels.get(e.getKey()))));
        }

        List<Map<String, Object>> workloads() {
            List<Map<String, Object>> w = new ArrayList<>(kind("Deployment"));
            w.addAll(kind("StatefulSet"));
            return w;
        }

        Map<String, Object> podLabels(Map<String, Object> workload) {
            return map(get(workload, "spec", "template", "metadata", "labels"));
        }

        void run() {
            for (Map<String, Object> d : kind("Deployment")) {
                deployment(d);
            }
            for (Map<String, Object> s : kind("StatefulSet")) {
                hardened(s, name(s));
                selectorMatches(s);
            }
            services();
            ingress();
            httpRoutes();
            secrets();
            selectorsOfPolicies();
        }

        void selectorMatches(Map<String, Object> w) {
            Map<String, Object> sel = map(get(w, "spec", "selector", "matchLabels"));
            c.check(selects(sel, podLabels(w)), name(w) + " selector matches its pod labels", "selector " + sel + " vs labels " + podLabels(w));
            c.check(!sel.containsKey("helm.sh/chart") && !sel.containsKey("app.kubernetes.io/version"),
                    name(w) + " selector has no chart/version label", "immutable selector contains a changing label: " + sel);
        }

        void deployment(Map<String, Object> d) {
            String n = name(d);
            selectorMatches(d);
            hardened(d, n);
            c.check("0".equals(str(get(d, "spec", "strategy", "rollingUpdate", "maxUnavailable"))),
                    n + " rolling update maxUnavailable 0", "strategy " + get(d, "spec", "strategy"));
            Map<String, Object> pod = map(get(d, "spec", "template", "spec"));
            for (Object co : list(pod.get("containers"))) {
                Map<String, Object> ct = map(co);
                String cn = n + " container " + ct.get("name");
                Set<String> portNames = new TreeSet<>();
                Set<String> portNumbers = new TreeSet<>();
                for (Object p : list(ct.get("ports"))) {
                    portNames.add(str(get(p, "name")));
                    portNumbers.add(str(get(p, "containerPort")));
                }
                for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                    Object port = get(ct, probe, "httpGet", "port");
                    String path = str(get(ct, probe, "httpGet", "path"));
                    boolean ok = port != null && (portNames.contains(str(port)) || portNumbers.contains(str(port)))
                            && path.startsWith("/observe/health/");
                    c.check(ok, cn + " has " + probe + " on a declared port at /observe/health/*",
                            "probe " + get(ct, probe) + " ports " + portNames + portNumbers);
                }
                String reqMem = str(get(ct, "resources", "requests", "memory"));
                String limMem = str(get(ct, "resources", "limits", "memory"));
                c.check(!reqMem.isEmpty() && reqMem.equals(limMem), cn + " memory request = limit",
                        "requests.memory=" + reqMem + " limits.memory=" + limMem);
                c.check(get(ct, "resources", "requests", "cpu") != null, cn + " cpu request", "no cpu request");
                Object sleep = get(ct, "lifecycle", "preStop", "sleep", "seconds");
                Object grace = get(pod, "terminationGracePeriodSeconds");
                c.check(sleep != null && grace != null
                                && Integer.parseInt(str(grace)) >= Integer.parseInt(str(sleep)) + 20,
                        cn + " preStop sleep + drain fits terminationGracePeriodSeconds",
                        "preStop sleep " + sleep + " grace " + grace);
                boolean hasObservePort = false;
                for (Object e : list(ct.get("env"))) {
                    if ("PLAZA_OBSERVE_PORT".equals(str(get(e, "name")))) {
                        hasObservePort = portNumbers.contains(str(get(e, "value")));
                    }
                }
                c.check(hasObservePort, cn + " PLAZA_OBSERVE_PORT is a declared container port", "env vs ports " + portNumbers);
            }
        }

        void hardened(Map<String, Object> w, String n) {
            Map<String, Object> pod = map(get(w, "spec", "template", "spec"));
            Object podNonRoot = get(pod, "securityContext", "runAsNonRoot");
            Object podSeccomp = get(pod, "securityContext", "seccompProfile", "type");
            List<Object> all = new ArrayList<>(list(pod.get("containers")));
            all.addAll(list(pod.get("initContainers")));
            Set<String> emptyDirs = new TreeSet<>();
            for (Object v : list(pod.get("volumes"))) {
                if (get(v, "emptyDir") != null) {
                    emptyDirs.add(str(get(v, "name")));
                }
            }
            c.check("false".equals(str(pod.get("automountServiceAccountToken"))), n + " does not mount a service-account token",
                    "automountServiceAccountToken=" + pod.get("automountServiceAccountToken"));
            for (Object co : all) {
                Map<String, Object> ct = map(co);
                String cn = n + " container " + ct.get("name");
                Map<String, Object> sc = map(ct.get("securityContext"));
                boolean nonRoot = Boolean.TRUE.equals(sc.getOrDefault("runAsNonRoot", podNonRoot));
                Object uid = sc.getOrDefault("runAsUser", get(pod, "securityContext", "runAsUser"));
                c.check(nonRoot && uid != null && !"0".equals(str(uid)), cn + " runs as a numeric non-root user",
                        "runAsNonRoot=" + nonRoot + " runAsUser=" + uid);
                c.check(Boolean.TRUE.equals(sc.get("readOnlyRootFilesystem")), cn + " read-only root filesystem", "securityContext " + sc);
                c.check(Boolean.FALSE.equals(sc.get("allowPrivilegeEscalation")), cn + " no privilege escalation", "securityContext " + sc);
                c.check(list(get(sc, "capabilities", "drop")).contains("ALL"), cn + " drops all capabilities", "securityContext " + sc);
                c.check("RuntimeDefault".equals(str(get(sc, "seccompProfile", "type")).isEmpty() ? str(podSeccomp)
                        : str(get(sc, "seccompProfile", "type"))), cn + " seccomp RuntimeDefault", "seccomp unset");
                boolean tmp = false;
                for (Object m : list(ct.get("volumeMounts"))) {
                    if ("/tmp".equals(str(get(m, "mountPath"))) && emptyDirs.contains(str(get(m, "name")))) {
                        tmp = true;
                    }
                }
                c.check(tmp, cn + " has an emptyDir at /tmp", "no emptyDir mounted at /tmp");
            }
        }

        void services() {
            for (Map<String, Object> s : kind("Service")) {
                String n = name(s);
                Map<String, Object> sel = map(get(s, "spec", "selector"));
                Map<String, Object> target = null;
                for (Map<String, Object> w : workloads()) {
                    if (selects(sel, podLabels(w))) {
                        target = w;
                    }
                }
                c.check(target != null, n + " selects a workload", "selector " + sel + " matches no pod template");
                if (target == null) {
                    continue;
                }
                Set<String> ports = new TreeSet<>();
                for (Object co : list(get(target, "spec", "template", "spec", "containers"))) {
                    for (Object p : list(get(co, "ports"))) {
                        ports.add(str(get(p, "name")));
                        ports.add(str(get(p, "containerPort")));
                    }
                }
                for (Object p : list(get(s, "spec", "ports"))) {
                    String tp = str(get(p, "targetPort"));
                    if (tp.isEmpty()) {
                        tp = str(get(p, "port"));
                    }
                    c.check(ports.contains(tp), n + " port " + get(p, "name") + " targets a container port",
                            "targetPort " + tp + " not in " + ports);
                }
            }
        }

        /** component of the Deployment that the Service (by name) selects, or null. */
        String componentOfService(String serviceName) {
            for (Map<String, Object> s : kind("Service")) {
                if (serviceName.equals(str(get(s, "metadata", "name")))) {
                    Map<String, Object> sel = map(get(s, "spec", "selector"));
                    for (Map<String, Object> d : kind("Deployment")) {
                        if (selects(sel, podLabels(d))) {
                            return str(podLabels(d).get(COMPONENT));
                        }
                    }
                }
            }
            return null;
        }

        Set<String> appComponents() {
            Set<String> comps = new TreeSet<>();
            for (Map<String, Object> d : kind("Deployment")) {
                String comp = str(podLabels(d).get(COMPONENT));
                if (URL_SPACE.containsKey(comp)) {
                    comps.add(comp);
                }
            }
            return comps;
        }

        static boolean prefixCovers(String routePrefix, String path) {
            String p = routePrefix.endsWith("/") && routePrefix.length() > 1 ? routePrefix.substring(0, routePrefix.length() - 1) : routePrefix;
            if ("/".equals(p)) {
                return true; // "/" is the catch-all prefix
            }
            return path.equals(p) || path.startsWith(p + "/");
        }

        /** The most specific route for path decides (longest prefix), as both Ingress and Gateway API do. */
        static String routeFor(Map<String, String> prefixToComponent, String path) {
            String best = null;
            for (String prefix : prefixToComponent.keySet()) {
                if (prefixCovers(prefix, path) && (best == null || prefix.length() > best.length())) {
                    best = prefix;
                }
            }
            return best == null ? null : prefixToComponent.get(best);
        }

        void assertRoutes(String n, Map<String, String> prefixToComponent) {
            for (String comp : appComponents()) {
                for (String path : URL_SPACE.get(comp)) {
                    String got = routeFor(prefixToComponent, path);
                    c.check(comp.equals(got), n + " routes " + path + " to " + comp, "routes it to " + got);
                }
            }
        }

        void ingress() {
            for (Map<String, Object> ing : kind("Ingress")) {
                String n = name(ing);
                Map<String, String> routes = new LinkedHashMap<>();
                for (Object rule : list(get(ing, "spec", "rules"))) {
                    for (Object p : list(get(rule, "http", "paths"))) {
                        String svc = str(get(p, "backend", "service", "name"));
                        String comp = componentOfService(svc);
                        c.check(comp != null, n + " backend " + svc + " exists", "no Service " + svc + " selecting a Deployment");
                        c.check("Prefix".equals(str(get(p, "pathType"))), n + " path " + get(p, "path") + " is a Prefix match",
                                "pathType " + get(p, "pathType"));
                        routes.put(str(get(p, "path")), comp);
                    }
                }
                assertRoutes(n, routes);
                Map<String, Object> ann = map(get(ing, "metadata", "annotations"));
                for (String key : List.of("nginx.ingress.kubernetes.io/proxy-read-timeout", "nginx.ingress.kubernetes.io/proxy-send-timeout")) {
                    String v = str(ann.get(key));
                    c.check(v.matches("\\d+") && Integer.parseInt(v) >= 3600, n + " " + key + " >= 3600 s for WebSockets", "value '" + v + "'");
                }
            }
        }

        void httpRoutes() {
            for (Map<String, Object> r : kind("HTTPRoute")) {
                String n = name(r);
                Map<String, String> routes = new LinkedHashMap<>();
                c.check(!list(get(r, "spec", "parentRefs")).isEmpty(), n + " has parentRefs", "no parentRefs");
                for (Object rule : list(get(r, "spec", "rules"))) {
                    List<?> refs = list(get(rule, "backendRefs"));
                    String comp = null;
                    for (Object ref : refs) {
                        String svc = str(get(ref, "name"));
                        comp = componentOfService(svc);
                        c.check(comp != null, n + " backendRef " + svc + " exists", "no Service " + svc + " selecting a Deployment");
                    }
                    for (Object m : list(get(rule, "matches"))) {
                        String type = str(get(m, "path", "type"));
                        c.check("PathPrefix".equals(type), n + " match " + get(m, "path", "value") + " is PathPrefix", "type " + type);
                        routes.put(str(get(m, "path", "value")), comp);
                    }
                }
                assertRoutes(n, routes);
            }
        }

        void secrets() {
            for (Map<String, Object> cm : kind("ConfigMap")) {
                String n = name(cm);
                boolean clean = true;
                String why = "";
                for (Map.Entry<String, Object> e : map(cm.get("data")).entrySet()) {
                    String v = str(e.getValue());
                    boolean secretKey = SECRET_NAME.matcher(e.getKey()).matches() && !e.getKey().endsWith("_FILE");
                    if (secretKey || v.contains("PRIVATE KEY")
                            || Pattern.compile("(?im)^\\s*(\\w*(PASSWORD|API_KEY|SECRET))\\s*[:=]\\s*\\S+").matcher(v).find()) {
                        clean = false;
                        why = "key " + e.getKey() + " looks secret";
                    }
                }
                c.check(clean, n + " holds no secrets", why);
            }
            for (Map<String, Object> w : workloads()) {
                for (Object co : list(get(w, "spec", "template", "spec", "containers"))) {
                    for (Object e : list(get(co, "env"))) {
                        String en = str(get(e, "name"));
                        if (SECRET_NAME.matcher(en).matches() && !en.endsWith("_FILE")) {
                            c.check(get(e, "valueFrom", "secretKeyRef") != null, name(w) + " env " + en + " comes from a Secret",
                                    "plain value in the pod spec");
                        }
                    }
                }
            }
            for (Map<String, Object> s : kind("Secret")) {
                c.check(!map(s.get("data")).isEmpty() || !map(s.get("stringData")).isEmpty(), name(s) + " has data", "empty Secret");
            }
        }

        void selectorsOfPolicies() {
            for (Map<String, Object> pdb : kind("PodDisruptionBudget")) {
                Map<String, Object> sel = map(get(pdb, "spec", "selector", "matchLabels"));
                c.check(workloads().stream().anyMatch(w -> selects(sel, podLabels(w))), name(pdb) + " selects a workload", "selector " + sel);
            }
            for (Map<String, Object> np : kind("NetworkPolicy")) {
                Map<String, Object> sel = map(get(np, "spec", "podSelector", "matchLabels"));
                c.check(workloads().stream().anyMatch(w -> selects(sel, podLabels(w))), name(np) + " selects a workload", "selector " + sel);
            }
            for (Map<String, Object> hpa : kind("HorizontalPodAutoscaler")) {
                String target = str(get(hpa, "spec", "scaleTargetRef", "name"));
                c.check(kind("Deployment").stream().anyMatch(d -> target.equals(str(get(d, "metadata", "name")))),
                        name(hpa) + " targets a Deployment", "no Deployment " + target);
            }
            for (Map<String, Object> sm : kind("ServiceMonitor")) {
                Map<String, Object> sel = map(get(sm, "spec", "selector", "matchLabels"));
                boolean any = kind("Service").stream().anyMatch(s -> selects(sel, map(get(s, "metadata", "labels"))));
                c.check(any, name(sm) + " selects a Service", "selector " + sel);
                for (Object ep : list(get(sm, "spec", "endpoints"))) {
                    String port = str(get(ep, "port"));
                    boolean named = kind("Service").stream().filter(s -> selects(sel, map(get(s, "metadata", "labels"))))
                            .allMatch(s -> list(get(s, "spec", "ports")).stream().anyMatch(p -> port.equals(str(get(p, "name")))));
                    c.check(named, name(sm) + " endpoint port " + port + " is a named Service port", "missing on a selected Service");
                }
            }
        }
    }
}
