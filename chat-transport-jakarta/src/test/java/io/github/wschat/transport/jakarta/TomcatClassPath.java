package io.github.wschat.transport.jakarta;

/** Whether this test run's class path has Tomcat: see {@link OnTomcat}. */
final class TomcatClassPath {

    private TomcatClassPath() {
    }

    static boolean present() {
        try {
            Class.forName("org.apache.catalina.startup.Tomcat", false, TomcatClassPath.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
