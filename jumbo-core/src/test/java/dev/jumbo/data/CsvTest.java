package dev.jumbo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
    @TempDir
    Path tmp;

    private Path csv(String text) throws IOException {
        Path p = tmp.resolve("data.csv");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void headerDetectedAndStringLabelsBecomeSortedClasses() throws IOException {
        Path p = csv("sepal,petal,species\n5.1,1.4,setosa\n\n7.0,4.7,versicolor\n6.3,\"6.0\",virginica\n4.9,1.3,setosa\n");
        TensorDataset d = Csv.read(p, Csv.options().label("species"));
        assertThat(d.size()).isEqualTo(4);
        assertThat(d.exampleShape()).containsExactly(2);
        assertThat(d.classNames()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(d.labels()).containsExactly(0, 1, 2, 0);
        assertThat(d.get(2).input().toFloatArray()).containsExactly(6.3f, 6.0f);
        // The same by index, header detected.
        assertThat(Csv.read(p, Csv.options()).labels()).containsExactly(0, 1, 2, 0);
    }

    @Test
    void integerLabelsByIndexWithoutHeader() throws IOException {
        Path p = csv("3,0.5,1.5\n0,2,-1e-3\n");
        TensorDataset d = Csv.read(p, Csv.options().labelIndex(0));
        assertThat(d.labels()).containsExactly(3, 0);
        assertThat(d.numClasses()).isEqualTo(4);
        assertThat(d.get(1).input().toFloatArray()).containsExactly(2f, -1e-3f);
        assertThat(Csv.read(p, Csv.options().labelIndex(0).header(false)).size()).isEqualTo(2);
        TensorDataset semi = Csv.read(csv("1;2;0\n"), Csv.options().delimiter(';'));
        assertThat(semi.get(0).input().toFloatArray()).containsExactly(1f, 2f);
    }

    @Test
    void errorsNameFileLineAndColumn() throws IOException {
        Path bad = csv("a,b,label\n1,2,0\n3,x7,1\n");
        assertThatThrownBy(() -> Csv.read(bad, Csv.options().label("label"))).hasMessage(
                "csv file " + bad + ": line 3, column 2 (\"b\"): 'x7' is not a number");
        Path ragged = csv("1,2,0\n3,1\n");
        assertThatThrownBy(() -> Csv.read(ragged, Csv.options())).hasMessage(
                "csv file " + ragged + ": line 2 has 2 columns: expected 3");
        Path empty = csv("\n\n");
        assertThatThrownBy(() -> Csv.read(empty, Csv.options())).hasMessageContaining("empty");
        Path blank = csv("1,,0\n");
        assertThatThrownBy(() -> Csv.read(blank, Csv.options().header(false)))
                .hasMessage("csv file " + blank + ": line 1, column 2: empty value: expected a number");
        Path noLabel = csv("a,b\n1,2\n");
        assertThatThrownBy(() -> Csv.read(noLabel, Csv.options().label("y")))
                .hasMessageContaining("no column named \"y\" in the header [a, b]");
        Path header = csv("a,b\n");
        assertThatThrownBy(() -> Csv.read(header, Csv.options())).hasMessageContaining("only a header");
        Path quote = csv("1,\"2,0\n");
        assertThatThrownBy(() -> Csv.read(quote, Csv.options())).hasMessageContaining("line 1: unterminated quoted field");
        assertThatThrownBy(() -> Csv.read(tmp.resolve("missing.csv"), Csv.options())).hasMessageContaining("missing.csv");
    }
}
