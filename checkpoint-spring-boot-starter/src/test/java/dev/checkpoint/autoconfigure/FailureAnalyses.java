package dev.checkpoint.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Objects;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;
import org.springframework.mock.env.MockEnvironment;

/** What a user reads when start-up fails: the analysis Boot prints, from every analyzer on the class path, in order. */
public final class FailureAnalyses {

    private FailureAnalyses() {
    }

    /** Starts the context with {@code properties}, which must fail, and returns the analysis Boot would print. */
    public static FailureAnalysis of(ApplicationContextRunner runner, String... properties) {
        Throwable[] failure = new Throwable[1];
        MockEnvironment environment = new MockEnvironment();
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            failure[0] = context.getStartupFailure();
            for (String property : properties) {
                String[] pair = property.split("=", 2);
                environment.setProperty(pair[0], pair[1]);
            }
        });
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, ArgumentResolver.of(Environment.class, environment)
                        .and(BeanFactory.class, new DefaultListableBeanFactory()),
                        FailureHandler.handleMessage((message, unavailable) -> { }));
        FailureAnalysis analysis = analyzers.stream().map(analyzer -> analyzer.analyze(failure[0]))
                .filter(Objects::nonNull).findFirst().orElse(null);
        assertThat(analysis).as("failure analysis of %s", failure[0]).isNotNull();
        return analysis;
    }
}
